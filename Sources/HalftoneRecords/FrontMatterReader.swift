import Foundation

/// A Markdown-style record: YAML front matter between a first line `---` and the next `---` line.
/// Reading stops at the closing line, so the body (however long, whatever it contains, `---` lines
/// included) is never read or parsed.
final class FrontMatterReader: RecordFileReader {
  private let reader: LineReader
  private let extractor: RecordExtractor
  private var yaml: RecordFileReader?
  private var started = false

  init(reader: LineReader, extractor: RecordExtractor) {
    self.reader = reader
    self.extractor = extractor
  }

  func next() -> RecordItem? {
    if !started {
      started = true
      switch readFrontMatter() {
      case .success(let source): yaml = source
      case .failure(let problem): return .problem(problem)
      }
    }
    return yaml?.next()
  }

  private func readFrontMatter() -> Result<RecordFileReader, RecordProblem> {
    guard let first = reader.next() else {
      return .failure(
        problem("the file is empty; expected YAML front matter between `---` lines", 1))
    }
    let opening: Int
    switch readable(first) {
    case .failure(let problem): return .failure(problem)
    case .success(let (text, number)):
      guard Self.isDelimiter(text) else {
        return .failure(
          problem(
            "the file does not start with a `---` line, so it has no YAML front matter", number))
      }
      opening = number
    }
    var lines: [String] = []
    var bytes = 0
    while let line = reader.next() {
      switch readable(line) {
      case .failure(let problem): return .failure(problem)
      case .success(let (text, number)):
        if Self.isDelimiter(text) {
          let source = YAMLDocumentReader(
            text: lines.joined(separator: "\n"), lineOffset: opening,
            description: "YAML front matter", extractor: extractor)
          return .success(source)
        }
        bytes += text.utf8.count + 1
        if bytes > extractor.limits.maxFileBytes {
          let limit = ByteCountText.describe(extractor.limits.maxFileBytes)
          return .failure(problem("the front matter is larger than the \(limit) limit", number))
        }
        lines.append(text)
      }
    }
    return .failure(
      problem(
        "the front matter opened at line \(opening) is never closed by a `---` line", opening))
  }

  /// A line as text, or the problem that stops the file being read.
  private func readable(_ line: LineReader.Line) -> Result<(String, Int), RecordProblem> {
    switch line {
    case .text(let bytes, let number):
      guard let text = String(bytes: bytes, encoding: .utf8) else {
        return .failure(problem("the line is not valid UTF-8", number))
      }
      return .success((text, number))
    case .tooLong(let number):
      let limit = ByteCountText.describe(extractor.limits.maxLineBytes)
      return .failure(problem("the line is longer than the \(limit) limit", number))
    case .failed(let number, let reason):
      return .failure(problem("reading stopped: \(reason)", number))
    }
  }

  /// `---`, allowing trailing spaces.
  static func isDelimiter(_ line: String) -> Bool {
    line.hasPrefix("---") && line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
  }

  private func problem(_ message: String, _ line: Int) -> RecordProblem {
    RecordProblem(message: message, location: RecordLocation(file: extractor.file, line: line))
  }
}
