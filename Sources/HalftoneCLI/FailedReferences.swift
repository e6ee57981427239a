import Foundation
import HalftoneRecords

#if canImport(Glibc)
  import Glibc
#endif

/// The failed references of an earlier prefetch's report (`prefetch --retry-failed REPORT`):
/// its lines with `"status": "failed"`, by record file, line and URL.
struct FailedReferences {
  struct Key: Hashable {
    var record: String
    var line: Int
    var url: String
  }

  private(set) var keys: Set<Key> = []
  /// The record files they came from, in the report's order.
  private(set) var records: [String] = []

  /// Longest report line read (a report line is a few KiB; its URL at most 8 KiB).
  static let maxLineBytes = 1 << 20

  /// Reads the report line by line: memory holds one line and the failed keys, however long
  /// the report.
  init(reportPath path: String) throws {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw CommandFailure.usage(
        "--retry-failed: cannot read the report \(path): \(String(cString: strerror(errno)))")
    }
    let reader = LineReader(
      descriptor: descriptor, closesDescriptor: true, maxLineBytes: Self.maxLineBytes)
    var seenRecords = Set<String>()
    while let line = reader.next() {
      let (bytes, number): ([UInt8], Int)
      switch line {
      case .text(let text, let at): (bytes, number) = (text, at)
      case .tooLong(let at):
        throw CommandFailure.usage(
          "--retry-failed: line \(at) of \(path) is over \(Self.maxLineBytes) bytes: is it a "
            + "prefetch --report file?")
      case .failed(let at, let reason):
        throw CommandFailure.usage("--retry-failed: reading line \(at) of \(path): \(reason)")
      }
      if bytes.isEmpty { continue }
      guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
      else {
        throw CommandFailure.usage(
          "--retry-failed: line \(number) of \(path) is not a JSON object: is it a prefetch "
            + "--report file?")
      }
      guard object["status"] as? String == "failed", let record = object["record"] as? String,
        let recordLine = object["line"] as? Int, let url = object["url"] as? String,
        !url.isEmpty
      else { continue }
      keys.insert(Key(record: record, line: recordLine, url: url))
      if seenRecords.insert(record).inserted { records.append(record) }
    }
  }

  func contains(_ item: RecordItem) -> Bool {
    switch item {
    case .reference(let reference):
      keys.contains(
        Key(record: reference.location.file, line: reference.location.line, url: reference.url))
    case .problem: false  // a bad record fails the same way again
    }
  }
}
