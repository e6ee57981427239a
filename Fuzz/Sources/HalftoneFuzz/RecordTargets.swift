import Foundation
import HalftoneRecords

/// The record readers, through the public `RecordStream` as prefetch reads them: the first byte
/// picks the format (by extension), the rest is the file. Limits are small so that a run stays
/// fast; every item must carry its location.
enum RecordTargets {
  static let directory: String = {
    let base =
      FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = (base as NSString).appendingPathComponent("halftone-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  static let extensions = ["jsonl", "json", "yaml", "md", "ndjson", "yml", "markdown", "txt"]

  static let limits = RecordLimits(
    maxFileBytes: 1 << 20, maxLineBytes: 256 << 10, maxImagesPerRecord: 100,
    maxRelatedPerRecord: 20, maxYAMLNesting: 16, maxDirectoryDepth: 2)

  static func records(_ data: Data) {
    guard let first = data.first else { return }
    let path = "\(directory)/input.\(extensions[Int(first) % extensions.count])"
    guard FileManager.default.createFile(atPath: path, contents: data.dropFirst()) else {
      fatalError("cannot write \(path)")
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    var count = 0
    for item in RecordStream(paths: [path], limits: limits) {
      count += 1
      invariant(count <= 100_000, "more than 100,000 items from \(data.count) bytes")
      switch item {
      case .reference(let reference):
        invariant(reference.location.line >= 1, "line \(reference.location.line)")
      case .problem(let problem):
        invariant(!problem.message.isEmpty, "a problem without a message")
      }
    }
  }
}
