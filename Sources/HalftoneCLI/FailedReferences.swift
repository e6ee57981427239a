import Foundation
import HalftoneRecords

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

  /// Reports larger than this are refused (a report line is well under 64 KiB; this is
  /// millions of them).
  static let maxReportBytes = 4 << 30

  init(reportPath path: String) throws {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    guard let size = attributes?[.size] as? Int else {
      throw CommandFailure.usage("--retry-failed: cannot read the report \(path)")
    }
    guard size <= Self.maxReportBytes else {
      throw CommandFailure.usage(
        "--retry-failed: \(path) is \(size) bytes, over the \(Self.maxReportBytes)-byte limit")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.usage("--retry-failed: cannot read the report \(path)")
    }
    var seenRecords = Set<String>()
    var number = 0
    for line in data.split(separator: UInt8(ascii: "\n")) {
      number += 1
      guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
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
