import Foundation

/// Opens the right `RecordFileReader` for a file or standard input. Nothing here throws: a file that
/// cannot be opened becomes a source yielding one problem, so the stream goes on.
enum RecordFileOpener {
  /// What standard input is called in locations.
  static let standardInputName = "<stdin>"

  static func open(_ path: WalkedPath, standardInput: FileHandle, limits: RecordLimits)
    -> RecordFileReader
  {
    switch path {
    case .problem(let problem):
      return FixedRecordReader([.problem(problem)])
    case .standardInput:
      let extractor = RecordExtractor(file: standardInputName, limits: limits)
      let reader = LineReader(
        descriptor: standardInput.fileDescriptor, closesDescriptor: false,
        maxLineBytes: limits.maxLineBytes)
      return sniffed(reader, extractor: extractor)
    case .file(let file, let format):
      let extractor = RecordExtractor(file: file, limits: limits)
      switch FileInput.openForReading(file) {
      case .failure(let error):
        return failure(error.message(for: "records"), file: file)
      case .success(let descriptor):
        return open(descriptor, format: format, extractor: extractor)
      }
    }
  }

  private static func open(_ descriptor: Int32, format: RecordFormat?, extractor: RecordExtractor)
    -> RecordFileReader
  {
    let limits = extractor.limits
    func reader() -> LineReader {
      LineReader(descriptor: descriptor, closesDescriptor: true, maxLineBytes: limits.maxLineBytes)
    }
    switch format {
    case nil: return sniffed(reader(), extractor: extractor)
    case .jsonLines: return JSONLinesReader(reader: reader(), extractor: extractor)
    case .frontMatter: return FrontMatterReader(reader: reader(), extractor: extractor)
    case .json, .yaml:
      let result = FileInput.readAll(descriptor, limit: limits.maxFileBytes)
      close(descriptor)
      let bytes: [UInt8]
      switch result {
      case .failure(let error):
        let kind = format == .json ? "a .json file" : "a .yaml file"
        return failure(error.message(for: kind), file: extractor.file)
      case .success(let read): bytes = read
      }
      if format == .json { return JSONFileReader(bytes: bytes, extractor: extractor) }
      return yamlSource(bytes, lineOffset: 0, extractor: extractor)
    }
  }

  /// Input whose format is unknown (standard input, or a file given by name with an unknown
  /// extension): JSON Lines if the first non-blank character is `{` or `[`; YAML front matter if
  /// the first non-blank line is `---`; otherwise YAML documents.
  private static func sniffed(_ reader: LineReader, extractor: RecordExtractor) -> RecordFileReader
  {
    while let line = reader.next() {
      guard case .text(let bytes, let number) = line else {
        reader.pushBack(line)
        return JSONLinesReader(reader: reader, extractor: extractor)  // reports the failure
      }
      guard let first = bytes.first(where: { !JSONText.isWhitespace($0) }) else { continue }
      reader.pushBack(line)
      if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
        return JSONLinesReader(reader: reader, extractor: extractor)
      }
      if let text = String(bytes: bytes, encoding: .utf8), FrontMatterReader.isDelimiter(text) {
        return FrontMatterReader(reader: reader, extractor: extractor)
      }
      return yamlSource(reading: reader, firstLine: number, extractor: extractor)
    }
    return FixedRecordReader([])
  }

  /// YAML read from `reader` to its end (bounded), starting at file line `firstLine`.
  private static func yamlSource(
    reading reader: LineReader, firstLine: Int, extractor: RecordExtractor
  )
    -> RecordFileReader
  {
    var bytes: [UInt8] = []
    let limit = extractor.limits.maxFileBytes
    while let line = reader.next() {
      switch line {
      case .text(let text, _):
        bytes += text
        bytes.append(0x0A)
        if bytes.count > limit {
          return failure(
            FileInputError.tooLarge(limit: limit).message(for: "YAML input"), file: extractor.file)
        }
      case .tooLong(let number):
        let size = ByteCountText.describe(extractor.limits.maxLineBytes)
        return failure(
          "the line is longer than the \(size) limit", file: extractor.file, line: number)
      case .failed(let number, let reason):
        return failure("reading stopped: \(reason)", file: extractor.file, line: number)
      }
    }
    return yamlSource(bytes, lineOffset: firstLine - 1, extractor: extractor)
  }

  private static func yamlSource(_ bytes: [UInt8], lineOffset: Int, extractor: RecordExtractor)
    -> RecordFileReader
  {
    guard let text = String(bytes: bytes, encoding: .utf8) else {
      return failure("the file is not valid UTF-8 text", file: extractor.file, line: 0)
    }
    return YAMLDocumentReader(
      text: text, lineOffset: lineOffset, description: "YAML", extractor: extractor)
  }

  private static func failure(_ message: String, file: String, line: Int = 0) -> RecordFileReader {
    FixedRecordReader([
      .problem(RecordProblem(message: message, location: RecordLocation(file: file, line: line)))
    ])
  }
}
