import Foundation
import HalftoneStore
import XCTest

final class IndexTests: StoreTestCase {
  let url = "https://cdn.example/images/cat.jpg?width=300"

  func testSourceRoundTrip() throws {
    let clock = TestClock(Date(timeIntervalSince1970: 1_700_000_000))
    let cache = try openCache { $0.clock = { clock.now } }
    let data = randomBytes(3_000)
    let digest = try cache.putBlob(data)
    try cache.recordOriginal(
      url: url, original: digest, format: .jpeg, bytes: data.count, contentType: "image/jpeg",
      etag: "\"abc\"", lastModified: "Tue, 14 Nov 2023 22:13:20 GMT", width: 640, height: 480)
    let record = try XCTUnwrap(cache.original(forURL: url))
    XCTAssertEqual(record.url, url)
    XCTAssertEqual(record.original, digest)
    XCTAssertEqual(record.format, .jpeg)
    XCTAssertEqual(record.etag, "\"abc\"")
    XCTAssertEqual(record.lastModified, "Tue, 14 Nov 2023 22:13:20 GMT")
    XCTAssertEqual(record.contentType, "image/jpeg")
    XCTAssertEqual(record.bytes, 3_000)
    XCTAssertEqual(record.width, 640)
    XCTAssertEqual(record.height, 480)
    XCTAssertEqual(record.fetchedAt, clock.now)
    XCTAssertEqual(record.lastStatus, .ok)
    XCTAssertNil(record.lastError)
    XCTAssertEqual(try cache.lastAccess(digest), clock.now)
    XCTAssertNil(try cache.original(forURL: url + "&other"))
  }

  func testFailureWithoutOriginalIsRememberedButNotASource() throws {
    let cache = try openCache()
    try cache.recordFailure(url: url, kind: .httpStatus, message: "HTTP 404 from cdn.example")
    XCTAssertNil(try cache.original(forURL: url))
    let status = try XCTUnwrap(cache.originalStatus(forURL: url))
    XCTAssertEqual(status.lastStatus, .failed)
    XCTAssertEqual(status.lastErrorKind, .httpStatus)
    XCTAssertEqual(status.lastError, "HTTP 404 from cdn.example")
    XCTAssertNil(status.original)
    XCTAssertEqual(try cache.stats().failedURLs, 1)
  }

  func testFailureAfterSuccessKeepsTheOriginalAndSuccessClearsTheFailure() throws {
    let cache = try openCache()
    let data = randomBytes(1_000)
    let digest = try cache.putBlob(data)
    try cache.recordOriginal(url: url, original: digest, format: .png, bytes: data.count)
    try cache.recordFailure(url: url, kind: .timeout, message: "no answer in 30 s")
    let stale = try XCTUnwrap(cache.original(forURL: url))
    XCTAssertEqual(stale.original, digest)
    XCTAssertEqual(stale.lastStatus, .failed)
    XCTAssertEqual(stale.lastErrorKind, .timeout)
    XCTAssertTrue(try cache.recordNotModified(url: url))
    let fresh = try XCTUnwrap(cache.original(forURL: url))
    XCTAssertEqual(fresh.lastStatus, .ok)
    XCTAssertNil(fresh.lastErrorKind)
    XCTAssertFalse(try cache.recordNotModified(url: "https://never.example/x.jpg"))
  }

  func testLongErrorMessagesAreTruncatedAndLongURLsRefused() throws {
    let cache = try openCache()
    try cache.recordFailure(
      url: url, kind: .network, message: String(repeating: "é", count: 5_000))
    let stored = try XCTUnwrap(cache.originalStatus(forURL: url)?.lastError)
    XCTAssertLessThanOrEqual(stored.utf8.count, 2048)
    XCTAssertTrue(stored.hasSuffix("..."))
    let long = "https://a.example/" + String(repeating: "x", count: 9_000)
    let error = expectStoreError {
      try cache.recordFailure(url: long, kind: .network, message: "x")
    }
    XCTAssertEqual(error?.kind, .invalidURL)
  }

  func testVariants() throws {
    let cache = try openCache()
    let original = try cache.putBlob(randomBytes(9_000))
    let small = randomBytes(900)
    let large = randomBytes(1_800)
    let smallDigest = try cache.putBlob(small)
    let largeDigest = try cache.putBlob(large)
    try cache.recordThumbnail(
      original: original, specKey: "w=100", thumbnail: smallDigest, width: 100, height: 80,
      format: .webp, bytes: small.count)
    try cache.recordThumbnail(
      original: original, specKey: "w=200", thumbnail: largeDigest, width: 200, height: 160,
      format: .jpeg, bytes: large.count)
    let found = try XCTUnwrap(cache.thumbnail(original: original, specKey: "w=100"))
    XCTAssertEqual(found.thumbnail, smallDigest)
    XCTAssertEqual(found.width, 100)
    XCTAssertEqual(found.height, 80)
    XCTAssertEqual(found.format, .webp)
    XCTAssertEqual(found.bytes, 900)
    XCTAssertNil(try cache.thumbnail(original: original, specKey: "w=300"))
    XCTAssertEqual(try cache.thumbnails(original: original).map(\.specKey), ["w=100", "w=200"])

    // A mapping whose blob is gone is a miss.
    try FileManager.default.removeItem(at: XCTUnwrap(cache.blobURL(largeDigest)))
    XCTAssertNil(try cache.thumbnail(original: original, specKey: "w=200"))
    XCTAssertEqual(try cache.thumbnails(original: original).map(\.specKey), ["w=100"])
  }

  func testSourceWhoseBlobIsGoneIsAMiss() throws {
    let cache = try openCache()
    let digest = try cache.putBlob(randomBytes(500))
    try cache.recordOriginal(url: url, original: digest, format: .gif, bytes: 500)
    try FileManager.default.removeItem(at: XCTUnwrap(cache.blobURL(digest)))
    XCTAssertNil(try cache.original(forURL: url))
    XCTAssertNil(try cache.originalStatus(forURL: url)?.original)
  }

  func testTouchRecordsAccessAtMostOncePerResolution() throws {
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let clock = TestClock(start)
    let cache = try openCache {
      $0.clock = { clock.now }
      $0.accessResolution = 60
    }
    let digest = try cache.putBlob(randomBytes(100))
    try cache.touch(digest)
    XCTAssertEqual(try cache.lastAccess(digest), start)
    clock.advance(30)
    try cache.touch(digest)
    XCTAssertEqual(try cache.lastAccess(digest), start, "within the resolution: not rewritten")
    clock.advance(31)
    try cache.touch(digest)
    XCTAssertEqual(try cache.lastAccess(digest), start.addingTimeInterval(61))
  }

  func testStatsByFormat() throws {
    let cache = try openCache()
    let jpeg = randomBytes(1_000)
    let png = randomBytes(2_000)
    let thumb = randomBytes(300)
    let jpegDigest = try cache.putBlob(jpeg)
    let pngDigest = try cache.putBlob(png)
    let thumbDigest = try cache.putBlob(thumb)
    try cache.putBlob(randomBytes(77))  // unreferenced
    try cache.recordOriginal(url: "https://a/1", original: jpegDigest, format: .jpeg, bytes: 1_000)
    try cache.recordOriginal(url: "https://a/2", original: pngDigest, format: .png, bytes: 2_000)
    try cache.recordThumbnail(
      original: jpegDigest, specKey: "k", thumbnail: thumbDigest, width: 10, height: 10,
      format: .webp, bytes: 300)
    let stats = try cache.stats()
    XCTAssertEqual(stats.originals, ByteTally(count: 2, bytes: 3_000))
    XCTAssertEqual(stats.originalsByFormat["jpeg"], ByteTally(count: 1, bytes: 1_000))
    XCTAssertEqual(stats.originalsByFormat["png"], ByteTally(count: 1, bytes: 2_000))
    XCTAssertEqual(stats.thumbnails, ByteTally(count: 1, bytes: 300))
    XCTAssertEqual(stats.thumbnailsByFormat["webp"], ByteTally(count: 1, bytes: 300))
    XCTAssertEqual(stats.unreferenced, ByteTally(count: 1, bytes: 77))
    XCTAssertEqual(stats.blobs, ByteTally(count: 4, bytes: 3_377))
    XCTAssertEqual(stats.thumbnailRows, 1)
    XCTAssertGreaterThan(stats.indexBytes, 0)
  }
}
