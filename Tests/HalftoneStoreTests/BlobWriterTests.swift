import Foundation
import HalftoneStore
import XCTest

/// Blobs written piece by piece (downloads streamed to the cache): same blob as `putBlob`, no
/// staging file left behind whatever happens.
final class BlobWriterTests: StoreTestCase {
  private func write(_ data: Data, to writer: any BlobWriter, pieces: Int = 7) throws {
    let size = max(1, data.count / pieces)
    var start = 0
    while start < data.count {
      let piece = data[start..<min(start + size, data.count)]
      try piece.withUnsafeBytes { try writer.write($0) }
      start += size
    }
  }

  func testPiecesBecomeTheSameBlobAsOnePut() throws {
    let cache = try openCache()
    let data = randomBytes(1_500_000)
    let writer = try cache.makeBlobWriter()
    XCTAssertEqual(try stagingFiles().count, 1, "bytes go to a staging file as they arrive")
    try write(data, to: writer)
    XCTAssertEqual(writer.byteCount, data.count)
    let digest = try writer.commit()
    XCTAssertEqual(digest, Digest.of(data))
    XCTAssertEqual(try cache.readBlob(digest), data)
    XCTAssertEqual(try blobFiles(), [digest.hex])
    XCTAssertEqual(try stagingFiles(), [], "the staging name is gone once published")
  }

  func testRestartDiscardsWhatWasWritten() throws {
    let cache = try openCache()
    let writer = try cache.makeBlobWriter()
    try write(randomBytes(300_000), to: writer)
    try writer.restart()
    XCTAssertEqual(writer.byteCount, 0)
    let data = randomBytes(120_000)
    try write(data, to: writer)
    let digest = try writer.commit()
    XCTAssertEqual(digest, Digest.of(data))
    XCTAssertEqual(try cache.readBlob(digest), data, "nothing of the first attempt is left")
  }

  func testAbandonedOrDroppedWritersLeaveNothing() throws {
    let cache = try openCache()
    let abandoned = try cache.makeBlobWriter()
    try write(randomBytes(50_000), to: abandoned)
    abandoned.abandon()
    abandoned.abandon()  // twice is fine
    do {
      let dropped = try cache.makeBlobWriter()
      try write(randomBytes(50_000), to: dropped)
    }
    XCTAssertEqual(try stagingFiles(), [])
    XCTAssertEqual(try cache.stats().blobs.count, 0)
    let error = expectStoreError { try abandoned.commit() }
    XCTAssertEqual(error?.kind, .internal, "no commit after abandon")
  }

  func testBytesAlreadyStoredAreReusedNotDuplicated() throws {
    let cache = try openCache()
    let data = randomBytes(200_000)
    let first = try cache.putBlob(data)
    let writer = try cache.makeBlobWriter()
    try write(data, to: writer)
    XCTAssertEqual(try writer.commit(), first)
    XCTAssertEqual(try blobFiles(), [first.hex])
    XCTAssertEqual(try stagingFiles(), [])
  }

  func testABlobOverTheLimitIsRefusedAsItGrows() throws {
    let cache = try openCache { $0.maxBlobBytes = 100_000 }
    let writer = try cache.makeBlobWriter()
    let error = expectStoreError { try self.write(randomBytes(150_000), to: writer, pieces: 3) }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertTrue(
      error?.message.contains("more than 100000 bytes") ?? false, "\(String(describing: error))")
    writer.abandon()
    XCTAssertEqual(try stagingFiles(), [])
  }

  func testADiskFullMidStreamFailsTheWriteAndKeepsWhatWasStored() throws {
    let fault = FaultSwitch()
    let cache = try openCache { $0.fileIO = fault.io }
    let kept = randomBytes(10_000)
    let keptDigest = try cache.putBlob(kept)
    try cache.recordOriginal(
      url: "https://a/kept", original: keptDigest, format: .jpeg, bytes: 10_000)
    let writer = try cache.makeBlobWriter()
    fault.failWrite(after: 2, errno: ENOSPC)
    let error = expectStoreError { try self.write(randomBytes(400_000), to: writer, pieces: 8) }
    XCTAssertEqual(error?.errno, ENOSPC)
    XCTAssertTrue(error?.message.contains("No space left on device") ?? false)
    XCTAssertTrue(
      error?.message.contains(cacheRoot.appendingPathComponent("tmp").path) ?? false,
      "names the staging file: \(String(describing: error))")
    writer.abandon()
    XCTAssertEqual(try stagingFiles(), [])
    XCTAssertEqual(try cache.readBlob(keptDigest), kept)
    XCTAssertTrue(try cache.verify(repair: false, grace: 0).isClean)
  }

  func testAFailedWriteMustBeRestartedBeforeACommit() throws {
    let fault = FaultSwitch()
    let cache = try openCache { $0.fileIO = fault.io }
    let writer = try cache.makeBlobWriter()
    try write(randomBytes(100_000), to: writer, pieces: 1)
    // A 1.5 MB piece is written in 1 MiB chunks: the first lands, the second fails.
    fault.failWrite(after: 1, errno: ENOSPC)
    _ = expectStoreError { try self.write(randomBytes(1_500_000), to: writer, pieces: 1) }
    fault.reset()
    let refused = expectStoreError { try writer.commit() }
    XCTAssertEqual(refused?.kind, .internal, "half a piece on disk: no blob may be named from it")
    XCTAssertEqual(try blobFiles(), [])

    try writer.restart()
    let data = randomBytes(70_000)
    try write(data, to: writer)
    let digest = try writer.commit()
    XCTAssertEqual(digest, Digest.of(data))
    XCTAssertEqual(try cache.readBlob(digest), data)
  }

  func testGCAndVerifyLeaveALiveDownloadAloneButRemoveAbandonedStaging() throws {
    let cache = try openCache()
    let writer = try cache.makeBlobWriter()
    let data = randomBytes(80_000)
    try write(data, to: writer)
    // A staging file left by a killed process: nobody holds its lock.
    let stale = cacheRoot.appendingPathComponent("tmp/stream-1-2.tmp")
    try randomBytes(1_000).write(to: stale)

    let report = try cache.verify(repair: true, grace: 0)
    XCTAssertEqual(report.leftovers, ["stream-1-2.tmp"], "only the abandoned one")
    XCTAssertEqual(try stagingFiles().count, 1, "the live download's file is still there")
    _ = try cache.gc(maxBytes: nil, grace: 0)
    XCTAssertEqual(try stagingFiles().count, 1)

    let digest = try writer.commit()
    XCTAssertEqual(try cache.readBlob(digest), data)
    XCTAssertEqual(try stagingFiles(), [])
  }
}
