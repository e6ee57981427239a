import Foundation
import HalftoneStore
import XCTest

final class BlobStoreTests: StoreTestCase {
  func testOpenCreatesTheLayout() throws {
    let cache = try openCache()
    var isDirectory: ObjCBool = false
    for name in ["blobs/sha256", "tmp"] {
      XCTAssertTrue(
        FileManager.default.fileExists(
          atPath: cacheRoot.appendingPathComponent(name).path, isDirectory: &isDirectory)
          && isDirectory.boolValue, name)
    }
    XCTAssertTrue(FileManager.default.fileExists(atPath: cache.indexURL.path))
    XCTAssertEqual(cache.indexURL.lastPathComponent, "index.sqlite")
  }

  func testBlobLivesAtItsShardedPath() throws {
    let cache = try openCache()
    let data = Data("hello, halftone".utf8)
    let digest = try cache.putBlob(data)
    XCTAssertEqual(digest, Digest.of(data))
    let url = try XCTUnwrap(cache.blobURL(digest))
    XCTAssertEqual(
      url.path,
      cacheRoot.appendingPathComponent("blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)").path)
    XCTAssertEqual(try Data(contentsOf: url), data)
    XCTAssertEqual(try cache.readBlob(digest), data)
    XCTAssertTrue(cache.hasBlob(digest))
    XCTAssertEqual(try stagingFiles(), [], "staging files are removed after publishing")
  }

  func testSameBytesTwiceStoreOneBlob() throws {
    let cache = try openCache()
    let data = randomBytes(50_000)
    let first = try cache.putBlob(data)
    let second = try cache.putBlob(data)
    XCTAssertEqual(first, second)
    XCTAssertEqual(try blobFiles(), [first.hex])
    XCTAssertEqual(try cache.stats().blobs, ByteTally(count: 1, bytes: 50_000))
  }

  func testTwoURLsWithIdenticalBytesShareOneBlobAndKeepTwoRows() throws {
    let cache = try openCache()
    let data = randomBytes(20_000)
    let a = try cache.putBlob(data)
    try cache.recordOriginal(
      url: "https://a.example/x.jpg", original: a, format: .jpeg, bytes: data.count)
    let b = try cache.putBlob(data)
    try cache.recordOriginal(
      url: "https://b.example/y.jpg", original: b, format: .jpeg, bytes: data.count)
    XCTAssertEqual(try blobFiles(), [a.hex])
    XCTAssertEqual(try cache.original(forURL: "https://a.example/x.jpg")?.original, a)
    XCTAssertEqual(try cache.original(forURL: "https://b.example/y.jpg")?.original, a)
    let stats = try cache.stats()
    XCTAssertEqual(stats.originalURLs, 2)
    XCTAssertEqual(stats.originals, ByteTally(count: 1, bytes: 20_000))
  }

  func testMissingBlobIsAMissNotAnError() throws {
    let cache = try openCache()
    let digest = Digest.of(Data("never stored".utf8))
    XCTAssertNil(try cache.readBlob(digest))
    XCTAssertNil(cache.blobURL(digest))
    XCTAssertFalse(cache.hasBlob(digest))
  }

  func testDamagedBlobOfWrongSizeIsReplacedByTheNextPut() throws {
    let cache = try openCache()
    let data = randomBytes(10_000)
    let digest = try cache.putBlob(data)
    let url = try XCTUnwrap(cache.blobURL(digest))
    try data.prefix(4_000).write(to: url)  // a truncated blob, e.g. from an outside tool
    XCTAssertEqual(try cache.putBlob(data), digest)
    XCTAssertEqual(try cache.readBlob(digest), data)
  }

  func testVerifyOnReadTurnsCorruptBytesIntoAMiss() throws {
    let cache = try openCache { $0.verifyOnRead = true }
    let data = randomBytes(4_096)
    let digest = try cache.putBlob(data)
    let url = try XCTUnwrap(cache.blobURL(digest))
    var damaged = data
    damaged[100] ^= 0x01
    try damaged.write(to: url)
    XCTAssertNil(try cache.readBlob(digest))
    XCTAssertFalse(cache.hasBlob(digest), "the corrupt blob was quarantined")
    let quarantine = try FileManager.default.contentsOfDirectory(
      atPath: cacheRoot.appendingPathComponent("quarantine").path)
    XCTAssertEqual(quarantine.count, 1)
    XCTAssertTrue(quarantine[0].hasPrefix(digest.hex))
  }

  func testADamagedBlobOfTheRightSizeIsQuarantinedOnRequestAndThenRewritten() throws {
    let cache = try openCache()
    let data = randomBytes(4_096)
    let digest = try cache.putBlob(data)
    XCTAssertFalse(try cache.quarantineIfCorrupt(digest), "intact bytes stay")
    let url = try XCTUnwrap(cache.blobURL(digest))
    var damaged = data
    damaged[7] ^= 0x80
    try damaged.write(to: url)
    // Same size: a put of the good bytes would find the name taken and keep the damage.
    XCTAssertEqual(try cache.putBlob(data), digest)
    XCTAssertEqual(try Data(contentsOf: url), damaged)

    XCTAssertTrue(try cache.quarantineIfCorrupt(digest))
    XCTAssertFalse(cache.hasBlob(digest))
    XCTAssertEqual(try cache.putBlob(data), digest)
    XCTAssertEqual(try cache.readBlob(digest), data, "rewritten from the good bytes")
  }

  func testRecordingARowForAnAbsentBlobIsRefused() throws {
    let cache = try openCache()
    let ghost = Digest.of(Data("ghost".utf8))
    let error = expectStoreError {
      try cache.recordOriginal(
        url: "https://a.example/g.png", original: ghost, format: .png, bytes: 5)
    }
    XCTAssertEqual(error?.kind, .internal)
    XCTAssertNil(try cache.originalStatus(forURL: "https://a.example/g.png"))
  }
}
