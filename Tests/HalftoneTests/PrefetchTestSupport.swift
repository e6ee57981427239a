import Foundation
import Halftone
import HalftoneArchive
import HalftoneFetch
import HalftoneRecords
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// A temporary directory with a cache, records and a prefetcher wired to a test origin.
final class PrefetchBench {
  let directory: URL
  let origin: OriginServer
  let cache: Cache

  /// - Parameter cacheRoot: where the cache lives (default: inside the temporary directory).
  init(cacheRoot: URL? = nil) throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("halftone-prefetch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    origin = try OriginServer()
    cache = try Cache.open(root: cacheRoot ?? directory.appendingPathComponent("cache"))
  }

  deinit {
    origin.stop()
    try? FileManager.default.removeItem(at: directory)
  }

  /// Writes a record file and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let url = directory.appendingPathComponent("records").appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  var recordsPath: String { directory.appendingPathComponent("records").path }

  /// A JSON Lines record with one image.
  func jsonLine(
    url: String, width: Int? = nil, height: Int? = nil, title: String = "t",
    published: String? = nil
  ) -> String {
    var image: [String: Any] = ["url": url, "title": title]
    if let width { image["width"] = width }
    if let height { image["height"] = height }
    var record: [String: Any] = [
      "title": title, "sourceUrl": "https://news.example/\(title)", "images": [image],
    ]
    if let published { record["publishedDateTime"] = published }
    let data = try! JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  /// Runs a prefetch over the records directory; returns the outcomes by URL order of completion.
  func run(
    archives: [ArchiveSource] = [], limits: ArchiveLimits = .forTests,
    _ configure: (inout PrefetchOptions, inout FetchPolicy) -> Void = { _, _ in }
  )
    async throws -> (summary: PrefetchSummary, outcomes: [ReferenceOutcome])
  {
    var options = PrefetchOptions()
    var policy = FetchPolicy()
    policy.allowPrivateAddresses = true
    policy.baseBackoff = 0.05
    policy.maxBackoff = 0.2
    policy.totalTimeout = 10
    configure(&options, &policy)
    let fetcher = try Fetcher(policy: policy)
    defer { fetcher.shutdown() }
    let recovery =
      archives.isEmpty
      ? nil : ArchiveRecovery(archives: archives, fetcher: fetcher, limits: limits)
    let prefetcher = Prefetcher(
      cache: cache, fetcher: fetcher, archives: recovery, options: options)
    var outcomes: [ReferenceOutcome] = []
    let summary = await prefetcher.run(RecordStream(paths: [recordsPath])) { outcomes.append($0) }
    return (summary, outcomes)
  }
}

extension Array where Element == ReferenceOutcome {
  func one(url: String, file: StaticString = #filePath, line: UInt = #line) -> ReferenceOutcome? {
    let matches = filter { $0.url == url && $0.errorKind != .invalidRecord }
    XCTAssertEqual(matches.count, 1, "outcomes for \(url): \(matches)", file: file, line: line)
    return matches.first
  }
}

extension ArchiveLimits {
  /// Fast enough for tests: generous rates, short backoff.
  static var forTests: ArchiveLimits {
    var limits = ArchiveLimits()
    limits.lookupsPerMinute = 60_000
    limits.replaysPerSecond = 1_000
    limits.baseBackoff = 0.05
    return limits
  }
}
