import Foundation
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `stats`, `verify` and `gc` over a backend with no files: they use only `BlobBackend`.
final class MemoryBackendStoreTests: StoreTestCase {
  func testStatsVerifyAndGCWorkThroughTheProtocol() throws {
    let memory = MemoryBlobBackend()
    let cache = try openCache { $0.backend = memory }
    let original = try cache.putBlob(randomBytes(20_000))
    let thumbnail = try cache.putBlob(randomBytes(2_000))
    let orphan = try cache.putBlob(randomBytes(500))
    try cache.recordOriginal(
      url: "https://a/1.jpg", original: original, format: .jpeg, bytes: 20_000)
    try cache.recordThumbnail(
      original: original, specKey: "w=100", thumbnail: thumbnail, width: 100, height: 100,
      format: .jpeg, bytes: 2_000)
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: cacheRoot.appendingPathComponent("blobs").path))

    var stats = try cache.stats()
    XCTAssertEqual(stats.blobs, ByteTally(count: 3, bytes: 22_500))
    XCTAssertEqual(stats.originals, ByteTally(count: 1, bytes: 20_000))
    XCTAssertEqual(stats.thumbnails, ByteTally(count: 1, bytes: 2_000))
    XCTAssertEqual(stats.unreferenced, ByteTally(count: 1, bytes: 500))

    // Reads into a reused buffer (the thumbnailer's path) come from the backend.
    let buffer = ReusableBuffer()
    XCTAssertTrue(try cache.readBlob(thumbnail, into: buffer))
    XCTAssertEqual(buffer.withContents { Digest.of($0) }, thumbnail)

    // Damage is found and quarantined by the backend; the row goes, the original stays.
    memory.damage(thumbnail, with: randomBytes(2_000))
    let report = try cache.verify(repair: true, grace: 60)
    XCTAssertEqual(report.corrupt, [thumbnail])
    XCTAssertEqual(report.recentOrphans, 1, "the orphan is young: protected")
    stats = try cache.stats()
    XCTAssertEqual(stats.quarantined, ByteTally(count: 1, bytes: 2_000))
    XCTAssertEqual(stats.thumbnailRows, 0)
    XCTAssertNil(try cache.thumbnail(original: original, specKey: "w=100"))

    // An aged orphan is collected; the original, within the limit, is kept.
    memory.setModified(orphan, to: Date().addingTimeInterval(-3_600))
    let collected = try cache.gc(maxBytes: 30_000, grace: 60)
    XCTAssertEqual(collected.removedUnreferenced.count, 1)
    XCTAssertFalse(memory.contains(orphan))
    XCTAssertTrue(memory.contains(original))
    XCTAssertTrue(try cache.verify(repair: false).isClean)
  }
}
