import Foundation

/// JSON Lines: one record a line (an object; a line holding an array is read as several records),
/// blank lines skipped. Read line by line, so memory does not grow with the file.
final class JSONLinesReader: RecordFileReader {
  private let reader: LineReader
  private let extractor: RecordExtractor
  private var queue = ItemQueue()
  /// A line holding an array: its records, still to extract.
  private var list: RecordList?

  init(reader: LineReader, extractor: RecordExtractor) {
    self.reader = reader
    self.extractor = extractor
  }

  func next() -> RecordItem? {
    while true {
      if let item = queue.pop() { return item }
      if let items = list?.nextItems(extractor) {
        queue.replace(with: items)
        continue
      }
      list = nil
      guard let line = reader.next() else { return nil }
      switch line {
      case .text(let bytes, let number):
        guard bytes.contains(where: { !JSONText.isWhitespace($0) }) else { continue }
        queue.replace(with: items(fromLine: bytes, number: number))
      case .tooLong(let number):
        return problem(
          "the line is longer than the \(ByteCountText.describe(extractor.limits.maxLineBytes)) "
            + "limit for one record; it is skipped", line: number)
      case .failed(let number, let reason):
        return problem("reading stopped: \(reason)", line: number)
      }
    }
  }

  private func items(fromLine bytes: [UInt8], number: Int) -> [RecordItem] {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    } catch {
      return [
        problem("malformed JSON: \(JSONText.detail(of: error)); the line is skipped", line: number)
      ]
    }
    let record = RecordNode.json(object, line: number)
    if let records = RecordList(record) {
      list = records
      return []
    }
    return extractor.items(fromRecord: record)
  }

  private func problem(_ message: String, line: Int) -> RecordItem {
    .problem(
      RecordProblem(message: message, location: RecordLocation(file: extractor.file, line: line)))
  }
}
