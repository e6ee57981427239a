import Foundation
import GRDB
import Halftone
import HalftoneFetch
import HalftoneRecords
import HalftoneSpec
import HalftoneStore
import XCTest

/// A cache written by the binary of index schema version 1 (Tests/Fixtures/cache-v1, made by
/// commit 14002e1) opens with today's binary, migrates in place, verifies clean, serves what it
/// held and needs no refetch.
final class CacheMigrationTests: XCTestCase {
  static let fixture = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/cache-v1", isDirectory: true)

  /// The old report: what the v1 run stored for each reference.
  struct OldLine: Decodable {
    var url: String
    var status: String
    var original: String?
    var thumbnail: String?
  }

  private var root: URL!

  override func setUp() async throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-migration-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for name in ["blobs", "index.sqlite"] {
      try FileManager.default.copyItem(
        at: Self.fixture.appendingPathComponent(name), to: root.appendingPathComponent(name))
    }
  }

  override func tearDown() async throws {
    try? FileManager.default.removeItem(at: root)
  }

  /// The index's schema version and tables, read with SQLite directly.
  private func schema() throws -> (version: Int?, tables: [String]) {
    try DatabaseQueue(path: root.appendingPathComponent("index.sqlite").path).read { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA user_version"),
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
      )
    }
  }

  private func oldReport() throws -> [OldLine] {
    let text = try String(
      contentsOf: Self.fixture.appendingPathComponent("report-v1.jsonl"), encoding: .utf8)
    return try text.split(separator: "\n").map {
      try JSONDecoder().decode(OldLine.self, from: Data($0.utf8))
    }
  }

  func testVersion1CacheMigratesVerifiesServesAndNeedsNoRefetch() async throws {
    XCTAssertEqual(try schema().version, 1, "the fixture is a version-1 index")

    var options = CacheOptions()
    options.durable = false
    let cache = try Cache.open(root: root, options: options)
    let (version, tables) = try schema()
    XCTAssertEqual(version, 3)
    XCTAssertTrue(
      Set(tables).isSuperset(of: ["originals", "thumbnails", "access", "archive_checks"]),
      "\(tables)")
    XCTAssertFalse(tables.contains("sources"))

    let verify = try cache.verify(repair: false)
    XCTAssertTrue(verify.isClean, "\(verify)")

    let old = try oldReport()
    let completed = old.filter { $0.status == "ok" }
    XCTAssertEqual(completed.count, 5)

    // Serve: every thumbnail the old run made, under its reference, byte for byte.
    let harness = try await ServerHarness.start(cacheRoot: root)
    defer { Task { try? await harness.stop() } }
    let records = Self.fixture.appendingPathComponent("records.jsonl").path
    let references = RecordStream(paths: [records]).compactMap(\.reference)
    for line in completed {
      let reference = try XCTUnwrap(references.first { $0.url == line.url })
      let reply = try await harness.get(
        try thumbnailsPath(
          line.url, width: reference.declaredWidth, height: reference.declaredHeight))
      XCTAssertEqual(reply.status, 200, "\(line.url): \(reply.text)")
      XCTAssertEqual(reply.header("ETag"), "\"\(line.thumbnail ?? "")\"", line.url)
      let digest = try XCTUnwrap(Digest(hex: line.thumbnail ?? ""))
      XCTAssertEqual(reply.body, try cache.readBlob(digest))
    }
    // The failures the old run recorded are still known.
    let missing = try await harness.get(
      "/images?url=\(encoded("http://127.0.0.1:9/missing.jpg?width=64"))")
    XCTAssertEqual(missing.status, 200, missing.text)
    XCTAssertTrue(missing.text.contains("http_status"), missing.text)

    // Prefetch the same records with nothing listening on the old origin's port: every
    // reference that was complete is found without a request (a request would fail to connect).
    var policy = FetchPolicy(totalTimeout: 5, maxAttempts: 1, allowPrivateAddresses: true)
    policy.connectTimeout = 2
    let fetcher = try Fetcher(policy: policy)
    defer { fetcher.shutdown() }
    let prefetcher = Prefetcher(cache: cache, fetcher: fetcher, options: PrefetchOptions())
    var outcomes: [ReferenceOutcome] = []
    _ = await prefetcher.run(RecordStream(paths: [records])) { outcomes.append($0) }
    for line in completed {
      let outcome = try XCTUnwrap(outcomes.first { $0.url == line.url })
      XCTAssertEqual(outcome.status, .skipped, "\(line.url): \(outcome)")
      XCTAssertEqual(outcome.thumbnail?.digest.hex, line.thumbnail, line.url)
      XCTAssertEqual(outcome.original?.digest.hex, line.original, line.url)
    }
  }
}
