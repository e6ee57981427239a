import Foundation

/// A `.json` file: one article object, or an array of them. The file is read whole (it is bounded
/// by `RecordLimits.maxFileBytes`), but array elements are parsed one at a time, so a broken
/// element is reported at its own line and the others are still read.
final class JSONFileReader: RecordFileReader {
  private let bytes: [UInt8]
  private var splitter: JSONTopLevelSplitter
  private let extractor: RecordExtractor
  private var queue = ItemQueue()

  init(bytes: [UInt8], extractor: RecordExtractor) {
    self.bytes = bytes
    self.splitter = JSONTopLevelSplitter(bytes: bytes)
    self.extractor = extractor
  }

  func next() -> RecordItem? {
    while true {
      if let item = queue.pop() { return item }
      switch splitter.next() {
      case nil:
        return nil
      case .broken(let message, let line):
        return problem("malformed JSON: \(message); the rest of the file is skipped", line: line)
      case .value(let range, let line, let index):
        queue.replace(with: items(in: range, line: line, index: index))
      }
    }
  }

  private func items(in range: Range<Int>, line: Int, index: Int?) -> [RecordItem] {
    let path = index.map { "[\($0)]" } ?? ""
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(
        with: Data(bytes[range]), options: [.fragmentsAllowed])
    } catch {
      let name = index.map { "element \($0) is skipped" } ?? "the file is skipped"
      let errorLine = line + newlines(in: range, before: JSONText.offset(of: error))
      // The parser's "around character N" counts from the element, not the file: drop it, the
      // line says where.
      let detail = JSONText.detail(of: error).replacingOccurrences(
        of: #" around character \d+"#, with: "", options: .regularExpression)
      return [problem("malformed JSON: \(detail); \(name)", line: errorLine)]
    }
    return extractor.items(fromRecord: .json(object, line: line), path: path)
  }

  /// How many lines into `range` the parser's error offset is (0 if it gave none).
  private func newlines(in range: Range<Int>, before offset: Int?) -> Int {
    guard let offset else { return 0 }
    let end = min(range.lowerBound + max(offset, 0), range.upperBound)
    return bytes[range.lowerBound..<end].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
  }

  private func problem(_ message: String, line: Int) -> RecordItem {
    .problem(
      RecordProblem(message: message, location: RecordLocation(file: extractor.file, line: line)))
  }
}
