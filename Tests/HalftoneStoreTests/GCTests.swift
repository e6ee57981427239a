import Foundation
import HalftoneStore
import XCTest

final class GCTests: StoreTestCase {
  /// Blob files are written "now" (real time); the test clock starts a day later so that they are
  /// outside a one-minute grace period, and access times order the entries.
  var clock: TestClock!
  var cache: Cache!

  override func setUpWithError() throws {
    try super.setUpWithError()
    clock = TestClock(Date().addingTimeInterval(86_400))
    let clock = self.clock!
    cache = try openCache {
      $0.clock = { clock.now }
      $0.grace = 60
    }
  }

  @discardableResult
  func addOriginal(_ index: Int, bytes: Int = 10_000) throws -> Digest {
    let digest = try cache.putBlob(randomBytes(bytes))
    try cache.recordOriginal(
      url: "https://a/\(index)", original: digest, format: .jpeg, bytes: bytes)
    return digest
  }

  func testKeepsTheMostRecentlyUsedWithinTheLimit() throws {
    var digests: [Digest] = []
    for index in 0..<10 {
      clock.advance(60)
      digests.append(try addOriginal(index))
    }
    clock.advance(600)
    try cache.touch(digests[0])
    try cache.touch(digests[1])
    clock.advance(60)

    let report = try cache.gc(maxBytes: 50_000)
    XCTAssertEqual(report.bytesBefore, 100_000)
    XCTAssertEqual(report.bytesAfter, 50_000)
    XCTAssertEqual(report.freedBytes, 50_000)
    XCTAssertEqual(report.removedOriginals, ByteTally(count: 5, bytes: 50_000))
    XCTAssertEqual(report.removedOriginalRows, 5)
    XCTAssertTrue(report.withinLimit)
    let kept = (0..<10).filter { (try? cache.original(forURL: "https://a/\($0)")) != nil }
    XCTAssertEqual(kept, [0, 1, 7, 8, 9])
    XCTAssertEqual(try cache.stats().blobs.bytes, 50_000)
    XCTAssertEqual(try cache.stats().originalURLs, 5, "rows of removed originals are dropped")
    XCTAssertTrue(try cache.verify(repair: false).isClean)
  }

  func testLimitIsHardEvenWhenItFallsInsideABlob() throws {
    for index in 0..<4 {
      clock.advance(60)
      try addOriginal(index)
    }
    let report = try cache.gc(maxBytes: 25_000)
    XCTAssertLessThanOrEqual(report.bytesAfter, 25_000)
    XCTAssertEqual(report.bytesAfter, 20_000)
  }

  func testThumbnailsGoBeforeOriginalsUnlessToldOtherwise() throws {
    var originals: [Digest] = []
    var thumbnails: [Digest] = []
    for index in 0..<3 {
      clock.advance(60)
      originals.append(try addOriginal(index))
    }
    for index in 0..<3 {
      clock.advance(60)
      let thumbnail = try cache.putBlob(randomBytes(5_000))
      try cache.recordThumbnail(
        original: originals[index], specKey: "w=100", thumbnail: thumbnail, width: 100,
        height: 100, format: .webp, bytes: 5_000)
      thumbnails.append(thumbnail)
    }
    clock.advance(60)
    // Thumbnails are the most recently used, yet they go first: they are cheap to remake.
    let report = try cache.gc(maxBytes: 32_000)
    XCTAssertEqual(report.removedThumbnails, ByteTally(count: 3, bytes: 15_000))
    XCTAssertEqual(report.removedOriginals.count, 0)
    XCTAssertEqual(report.bytesAfter, 30_000)
    XCTAssertEqual(report.removedThumbnailRows, 3)
    for original in originals { XCTAssertEqual(try cache.thumbnails(original: original), []) }
  }

  func testOriginalsByRecencyDropTheirVariantsAndOrphanedThumbnails() throws {
    var originals: [Digest] = []
    for index in 0..<3 {
      clock.advance(60)
      let original = try addOriginal(index)
      clock.advance(1)
      let thumbnail = try cache.putBlob(randomBytes(5_000))
      try cache.recordThumbnail(
        original: original, specKey: "w=100", thumbnail: thumbnail, width: 100,
        height: 100, format: .webp, bytes: 5_000)
      originals.append(original)
    }
    clock.advance(60)
    let report = try cache.gc(maxBytes: 36_000, thumbnailsFirst: false)
    // LRU order: original 0 (10 000) goes first, and its thumbnail, which only its variant
    // named, goes with it: 30 000 left.
    XCTAssertEqual(report.removedOriginals, ByteTally(count: 1, bytes: 10_000))
    XCTAssertEqual(report.removedThumbnails, ByteTally(count: 1, bytes: 5_000))
    XCTAssertEqual(report.bytesAfter, 30_000)
    XCTAssertNil(try cache.original(forURL: "https://a/0"))
    XCTAssertEqual(try cache.thumbnails(original: originals[0]), [])
    XCTAssertEqual(try cache.thumbnails(original: originals[1]).count, 1)
    XCTAssertTrue(try cache.verify(repair: false).isClean)
  }

  func testMaxAgeRemovesEntriesUnusedForLonger() throws {
    try addOriginal(0)
    clock.advance(10 * 86_400)
    try addOriginal(1)
    let report = try cache.gc(maxBytes: nil, maxAge: 5 * 86_400)
    XCTAssertEqual(report.removedOriginals.count, 1)
    XCTAssertNil(try cache.original(forURL: "https://a/0"))
    XCTAssertNotNil(try cache.original(forURL: "https://a/1"))
  }

  func testMaxAgeForgetsURLsThatOnlyEverFailed() throws {
    try cache.recordFailure(url: "https://a/old-404", kind: .httpStatus, message: "HTTP 404")
    try addOriginal(0)
    try cache.recordFailure(url: "https://a/0", kind: .timeout, message: "timed out")
    clock.advance(10 * 86_400)
    try cache.recordFailure(url: "https://a/new-404", kind: .httpStatus, message: "HTTP 404")
    let report = try cache.gc(maxBytes: nil, maxAge: 20 * 86_400)
    XCTAssertEqual(report.removedOriginalRows, 0, "nothing older than 20 days")
    let aged = try cache.gc(maxBytes: nil, maxAge: 5 * 86_400)
    XCTAssertNil(try cache.originalStatus(forURL: "https://a/old-404"), "forgotten")
    XCTAssertNotNil(try cache.originalStatus(forURL: "https://a/new-404"), "tried since")
    XCTAssertEqual(aged.removedOriginals.count, 1, "the original unused for 10 days")
    XCTAssertNil(try cache.originalStatus(forURL: "https://a/0")?.original)
  }

  func testMaxAgeForgetsOldArchiveMisses() throws {
    try cache.recordNotArchived(url: "https://a/old", archive: "wayback", error: "no capture")
    clock.advance(10 * 86_400)
    try cache.recordNotArchived(url: "https://a/new", archive: "wayback", error: "no capture")
    let report = try cache.gc(maxBytes: nil, maxAge: 5 * 86_400)
    XCTAssertEqual(report.removedArchiveChecks, 1)
    XCTAssertNil(try cache.archiveCheck(url: "https://a/old", archive: "wayback"))
    XCTAssertEqual(
      try cache.archiveCheck(url: "https://a/new", archive: "wayback")?.error, "no capture")
  }

  func testUnreferencedBlobsGoFirst() throws {
    try addOriginal(0)
    clock.advance(60)
    let stray = try cache.putBlob(randomBytes(3_000))
    let leftover = cacheRoot.appendingPathComponent("tmp/killed-writer.tmp")
    try Data(count: 700).write(to: leftover)
    let report = try cache.gc(maxBytes: nil)
    XCTAssertEqual(report.removedUnreferenced, ByteTally(count: 1, bytes: 3_000))
    XCTAssertEqual(report.removedStaging, ByteTally(count: 1, bytes: 700))
    XCTAssertEqual(try stagingFiles(), [])
    XCTAssertFalse(cache.hasBlob(stray))
    XCTAssertNotNil(try cache.original(forURL: "https://a/0"))
  }
}

/// The grace period, with the real clock: blobs written just now are never removed.
final class GCGraceTests: StoreTestCase {
  func testYoungBlobsAreProtectedAndOldOnesAreNot() throws {
    let cache = try openCache()  // default grace: 10 minutes
    var digests: [Digest] = []
    for index in 0..<4 {
      let digest = try cache.putBlob(randomBytes(10_000))
      try cache.recordOriginal(
        url: "https://a/\(index)", original: digest, format: .png, bytes: 10_000)
      digests.append(digest)
    }
    let blocked = try cache.gc(maxBytes: 1)
    XCTAssertEqual(blocked.freedBytes, 0)
    XCTAssertEqual(blocked.protectedByGrace.count, 4)
    XCTAssertFalse(blocked.withinLimit, "the limit cannot be met without robbing a writer")
    XCTAssertEqual(try cache.stats().originalURLs, 4)

    // Two blobs were written an hour ago: those may go.
    let anHourAgo = Date().addingTimeInterval(-3_600)
    for digest in digests.prefix(2) {
      try setModified(XCTUnwrap(cache.blobURL(digest)), to: anHourAgo)
    }
    let report = try cache.gc(maxBytes: 1)
    XCTAssertEqual(report.removedOriginals.count, 2)
    XCTAssertEqual(report.protectedByGrace.count, 2)
    XCTAssertFalse(cache.hasBlob(digests[0]))
    XCTAssertTrue(cache.hasBlob(digests[2]))
  }

  func testReusingAnOldBlobRenewsItsGrace() throws {
    let cache = try openCache()
    let data = randomBytes(10_000)
    let digest = try cache.putBlob(data)
    try setModified(XCTUnwrap(cache.blobURL(digest)), to: Date().addingTimeInterval(-3_600))
    // A writer in another process stores the same bytes and is about to record its row.
    XCTAssertEqual(try cache.putBlob(data), digest)
    let report = try cache.gc(maxBytes: nil)
    XCTAssertEqual(report.removedUnreferenced.count, 0)
    XCTAssertTrue(cache.hasBlob(digest))
  }
}
