import Foundation
import HalftoneStore
import XCTest

final class VerifyTests: StoreTestCase {
  func testCleanCacheVerifiesClean() throws {
    let cache = try openCache()
    let digest = try cache.putBlob(randomBytes(10_000))
    try cache.recordOriginal(url: "https://a/1.jpg", original: digest, format: .jpeg, bytes: 10_000)
    let report = try cache.verify(repair: false)
    XCTAssertTrue(report.isClean, "\(report)")
    XCTAssertEqual(report.checked, ByteTally(count: 1, bytes: 10_000))
  }

  func testFlippedByteIsFoundQuarantinedAndThenMisses() throws {
    let cache = try openCache()
    let original = randomBytes(20_000)
    let thumbnail = randomBytes(2_000)
    let originalDigest = try cache.putBlob(original)
    let thumbnailDigest = try cache.putBlob(thumbnail)
    let url = "https://a.example/photo.jpg"
    try cache.recordOriginal(url: url, original: originalDigest, format: .jpeg, bytes: 20_000)
    try cache.recordThumbnail(
      original: originalDigest, specKey: "w=100", thumbnail: thumbnailDigest, width: 100,
      height: 100, format: .jpeg, bytes: 2_000)

    // Flip one bit in the middle of the thumbnail, in place.
    let path = try XCTUnwrap(cache.blobURL(thumbnailDigest)).path
    let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
    try handle.seek(toOffset: 1_000)
    let byte = try XCTUnwrap(handle.read(upToCount: 1))
    try handle.seek(toOffset: 1_000)
    try handle.write(contentsOf: Data([byte[0] ^ 0x10]))
    try handle.close()
    XCTAssertNotNil(
      try cache.thumbnail(original: originalDigest, specKey: "w=100"),
      "before verify, the damage is invisible to a plain lookup")

    let report = try cache.verify(repair: true)
    XCTAssertEqual(report.corrupt, [thumbnailDigest])
    XCTAssertFalse(report.isClean)
    XCTAssertNil(try cache.thumbnail(original: originalDigest, specKey: "w=100"))
    XCTAssertNil(try cache.readBlob(thumbnailDigest))
    XCTAssertEqual(try cache.stats().quarantined.count, 1)
    XCTAssertEqual(
      try cache.stats().thumbnailRows, 0, "the row was dropped, so it is fetched again")
    // The untouched original still serves.
    XCTAssertEqual(try cache.original(forURL: url)?.original, originalDigest)
    XCTAssertEqual(try cache.readBlob(originalDigest), original)

    let again = try cache.verify(repair: false)
    XCTAssertTrue(again.isClean, "\(again)")

    // Storing the good bytes again brings the thumbnail back.
    XCTAssertEqual(try cache.putBlob(thumbnail), thumbnailDigest)
    XCTAssertEqual(try cache.readBlob(thumbnailDigest), thumbnail)
  }

  func testDanglingRowsAreListedAndRemovedByRepair() throws {
    let cache = try openCache()
    let original = try cache.putBlob(randomBytes(1_000))
    let thumbnail = try cache.putBlob(randomBytes(100))
    try cache.recordOriginal(url: "https://a/x", original: original, format: .png, bytes: 1_000)
    try cache.recordThumbnail(
      original: original, specKey: "k", thumbnail: thumbnail, width: 1, height: 1, format: .png,
      bytes: 100)
    try FileManager.default.removeItem(at: XCTUnwrap(cache.blobURL(original)))
    try FileManager.default.removeItem(at: XCTUnwrap(cache.blobURL(thumbnail)))

    let report = try cache.verify(repair: false)
    XCTAssertEqual(report.danglingURLs, ["https://a/x"])
    XCTAssertEqual(report.danglingThumbnails, [ThumbnailKey(original: original, specKey: "k")])
    XCTAssertEqual(try cache.stats().originalURLs, 1, "without repair nothing is removed")

    let repaired = try cache.verify(repair: true)
    XCTAssertEqual(repaired.problemCount, 2)
    XCTAssertEqual(try cache.stats().originalURLs, 0)
    XCTAssertEqual(try cache.stats().thumbnailRows, 0)
    XCTAssertTrue(try cache.verify(repair: false).isClean)
  }

  func testOrphansAndLeftoversRespectTheGracePeriod() throws {
    let cache = try openCache()
    let orphan = try cache.putBlob(randomBytes(1_000))
    let leftover = cacheRoot.appendingPathComponent("tmp/abandoned-123.tmp")
    try Data("partial".utf8).write(to: leftover)

    // Young: maybe a writer in another process between putBlob and recordSource.
    let young = try cache.verify(repair: true)
    XCTAssertTrue(young.isClean, "\(young)")
    XCTAssertEqual(young.recentOrphans, 1)
    XCTAssertEqual(young.recentLeftovers, 1)
    XCTAssertTrue(cache.hasBlob(orphan))
    XCTAssertTrue(FileManager.default.fileExists(atPath: leftover.path))

    // Old: garbage. Listed without repair, removed with it.
    let anHourAgo = Date().addingTimeInterval(-3_600)
    try setModified(XCTUnwrap(cache.blobURL(orphan)), to: anHourAgo)
    try setModified(leftover, to: anHourAgo)
    let listed = try cache.verify(repair: false)
    XCTAssertEqual(listed.orphans, [orphan])
    XCTAssertEqual(listed.leftovers, ["abandoned-123.tmp"])
    XCTAssertTrue(cache.hasBlob(orphan))

    let repaired = try cache.verify(repair: true)
    XCTAssertEqual(repaired.orphans, [orphan])
    XCTAssertFalse(cache.hasBlob(orphan))
    XCTAssertFalse(FileManager.default.fileExists(atPath: leftover.path))
    XCTAssertTrue(try cache.verify(repair: false).isClean)
  }

  func testUnreadableBlobIsReportedAndKept() throws {
    let digest = try openCache().putBlob(randomBytes(5_000))
    let strict = try openCache { $0.maxBlobBytes = 1_000 }
    let report = try strict.verify(repair: true)
    XCTAssertEqual(report.unreadable.count, 1)
    XCTAssertTrue(report.unreadable[0].contains(digest.hex), report.unreadable[0])
    XCTAssertFalse(report.isClean)
    XCTAssertTrue(strict.hasBlob(digest), "a blob that cannot be read now is not removed")
  }
}
