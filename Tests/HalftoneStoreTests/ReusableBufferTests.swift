import Foundation
import HalftoneCore
import HalftoneStore
import XCTest

/// Reading blobs into a reused buffer (the prefetcher's render slots): contents, reuse across
/// sizes, misses, verification, and the retention bound.
final class ReusableBufferTests: StoreTestCase {
  func testReadsIntoOneBufferGiveEachBlobsExactBytes() throws {
    let cache = try openCache()
    let large = randomBytes(300_000)
    let small = randomBytes(1_000)
    let (largeDigest, smallDigest) = (try cache.putBlob(large), try cache.putBlob(small))
    let buffer = ReusableBuffer()

    XCTAssertTrue(try cache.readBlob(largeDigest, into: buffer))
    XCTAssertEqual(buffer.count, large.count)
    XCTAssertEqual(buffer.withContents { Data($0) }, large)
    // A smaller blob into the same (larger) memory: only its own bytes are the contents.
    XCTAssertTrue(try cache.readBlob(smallDigest, into: buffer))
    XCTAssertEqual(buffer.count, small.count)
    XCTAssertEqual(buffer.withContents { Data($0) }, small)
    XCTAssertTrue(try cache.readBlob(largeDigest, into: buffer))
    XCTAssertEqual(buffer.withContents { Digest.of($0) }, largeDigest)
  }

  func testAMissingBlobReadsAsFalseAndLeavesNoContents() throws {
    let cache = try openCache()
    let buffer = ReusableBuffer()
    XCTAssertTrue(try cache.readBlob(cache.putBlob(randomBytes(5_000)), into: buffer))
    XCTAssertFalse(try cache.readBlob(Digest.of(Data("never stored".utf8)), into: buffer))
    XCTAssertEqual(buffer.count, 0)
    XCTAssertEqual(buffer.withContents { $0.count }, 0)
  }

  func testVerifyOnReadQuarantinesCorruptBytesReadIntoABuffer() throws {
    let cache = try openCache { $0.verifyOnRead = true }
    let data = randomBytes(8_192)
    let digest = try cache.putBlob(data)
    var damaged = data
    damaged[4_000] ^= 0x10
    try damaged.write(to: XCTUnwrap(cache.blobURL(digest)))
    XCTAssertFalse(try cache.readBlob(digest, into: ReusableBuffer()))
    XCTAssertFalse(cache.hasBlob(digest), "the corrupt blob was quarantined")
  }

  func testABlobOverTheBackendLimitIsRefusedNotRead() throws {
    let cache = try openCache { $0.maxBlobBytes = 10_000 }
    let data = randomBytes(8_000)
    let digest = try cache.putBlob(data)
    try randomBytes(20_000).write(to: XCTUnwrap(cache.blobURL(digest)))  // grown by an outsider
    let error = expectStoreError { _ = try cache.readBlob(digest, into: ReusableBuffer()) }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertTrue(
      error?.message.contains("over the 10000 limit") ?? false, "\(String(describing: error))")
  }

  func testMemoryOverTheRetainedCapacityIsGivenBackAfterUse() throws {
    let cache = try openCache()
    let digest = try cache.putBlob(randomBytes(64_000))
    let buffer = ReusableBuffer(retainedCapacity: 16_000)
    XCTAssertTrue(try cache.readBlob(digest, into: buffer))
    XCTAssertEqual(buffer.retainedBytes, 64_000, "past the cap: exactly what the read needs")
    buffer.finishUse()
    XCTAssertEqual(buffer.retainedBytes, 0, "a buffer grown past its cap is released")
    XCTAssertEqual(buffer.count, 0)

    let roomy = ReusableBuffer(retainedCapacity: 4 << 20)
    XCTAssertTrue(try cache.readBlob(digest, into: roomy))
    roomy.finishUse()
    XCTAssertEqual(roomy.retainedBytes, 1 << 20, "within its cap: kept, grown by whole MiBs")
  }

  func testThePoolHandsBackTheSameBufferAndTrimsItAfterEachUse() throws {
    let cache = try openCache()
    let big = try cache.putBlob(randomBytes(40_000))
    let pool = ReusableBufferPool(retainedCapacity: 16_000)
    let first = try pool.withBuffer { buffer in
      XCTAssertTrue(try cache.readBlob(big, into: buffer))
      XCTAssertEqual(buffer.retainedBytes, 40_000)
      return ObjectIdentifier(buffer)
    }
    try pool.withBuffer { buffer in
      XCTAssertEqual(ObjectIdentifier(buffer), first, "the free buffer is reused")
      XCTAssertEqual(buffer.retainedBytes, 0, "grown past the cap, it was trimmed on return")
      XCTAssertEqual(buffer.count, 0)
      XCTAssertTrue(try cache.readBlob(big, into: buffer))
    }
  }

  func testThePoolNeverHandsOneBufferToTwoUsersAtOnce() throws {
    let pool = ReusableBufferPool()
    let inUse = Locked<Set<ObjectIdentifier>>([])
    DispatchQueue.concurrentPerform(iterations: 64) { _ in
      pool.withBuffer { buffer in
        let id = ObjectIdentifier(buffer)
        let fresh = inUse.withLock { $0.insert(id).inserted }
        XCTAssertTrue(fresh, "a buffer was handed out twice")
        usleep(200)
        _ = inUse.withLock { $0.remove(id) }
      }
    }
  }
}
