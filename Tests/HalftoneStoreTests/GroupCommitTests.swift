import Foundation
import XCTest

@testable import HalftoneStore

#if canImport(Glibc)
  import Glibc
#endif

/// Storing several blobs with shared barriers: `Cache.putBlobs` and concurrent `putBlob` calls
/// grouped by `GroupCommit`. Each blob keeps its own outcome, and a failed barrier fails only the
/// group that shared it.
final class GroupCommitTests: StoreTestCase {
  func testPutBlobsStoresEachBlobWithItsOwnOutcome() throws {
    let cache = try openCache { $0.maxBlobBytes = 50_000 }
    let present = randomBytes(1_000)
    let presentDigest = try cache.putBlob(present)
    let fresh = (0..<70).map { _ in randomBytes(2_000) }  // more than one window of 64
    let tooBig = randomBytes(60_000)

    let results = cache.putBlobs(fresh + [present, tooBig, fresh[0]])

    XCTAssertEqual(results.count, 73)
    for (data, result) in zip(fresh, results) {
      let digest = try result.get()
      XCTAssertEqual(digest, Digest.of(data))
      XCTAssertEqual(try cache.readBlob(digest), data)
    }
    XCTAssertEqual(try results[70].get(), presentDigest)
    guard case .failure(let error) = results[71] else {
      return XCTFail("a blob over the limit was stored")
    }
    XCTAssertEqual(error.kind, .storage)
    XCTAssertTrue(error.message.contains("60000 bytes"), error.message)
    XCTAssertEqual(try results[72].get(), Digest.of(fresh[0]))
    XCTAssertEqual(try blobFiles().count, 71)
    XCTAssertEqual(try stagingFiles(), [])
  }

  func testAGroupUsesOneFileSystemSyncPerBarrier() throws {
    try skipWithoutSyncfs()
    let fault = FaultSwitch()
    let cache = try openCache { $0.fileIO = fault.io }
    let results = cache.putBlobs((0..<10).map { _ in randomBytes(3_000) })
    XCTAssertEqual(results.filter { (try? $0.get()) != nil }.count, 10)
    // One syncfs for the contents, one for the names (ten blobs land in several shards, or in
    // one shard synced by fsync), and no per-file fsync.
    XCTAssertLessThanOrEqual(fault.fileSystemSyncCount, 2)
    XCTAssertGreaterThanOrEqual(fault.fileSystemSyncCount, 1)
    XCTAssertEqual(fault.fileSyncCount, 0)
  }

  func testWithoutSyncfsAGroupFallsBackToFsyncOfEachFile() throws {
    let fault = FaultSwitch()
    fault.failFileSystemSync(errno: ENOSYS)
    let cache = try openCache { $0.fileIO = fault.io }
    let blobs = (0..<6).map { _ in randomBytes(3_000) }
    let results = cache.putBlobs(blobs)
    for (data, result) in zip(blobs, results) {
      XCTAssertEqual(try cache.readBlob(try result.get()), data)
    }
    XCTAssertEqual(fault.fileSyncCount, 6)
  }

  func testAFailedGroupBarrierFailsTheGroupAndPublishesNothing() throws {
    try skipWithoutSyncfs()
    let fault = FaultSwitch()
    let cache = try openCache { $0.fileIO = fault.io }
    let kept = randomBytes(4_000)
    let keptDigest = try cache.putBlob(kept)

    fault.failFileSystemSync(errno: EIO)
    let results = cache.putBlobs((0..<5).map { _ in randomBytes(3_000) })
    for result in results {
      guard case .failure(let error) = result else { return XCTFail("stored without a barrier") }
      XCTAssertEqual(error.errno, EIO)
      XCTAssertTrue(error.message.contains("sync the file system"), error.message)
    }
    XCTAssertEqual(try blobFiles(), [keptDigest.hex])
    XCTAssertEqual(try stagingFiles(), [])
    XCTAssertEqual(try cache.readBlob(keptDigest), kept)

    fault.reset()
    let retried = cache.putBlobs((0..<3).map { _ in randomBytes(3_000) })
    XCTAssertEqual(retried.filter { (try? $0.get()) != nil }.count, 3)
  }

  func testAFailedNameBarrierFailsEveryMemberEvenThoseFoundPresent() throws {
    try skipWithoutSyncfs()
    let fault = FaultSwitch()
    let cache = try openCache { $0.fileIO = fault.io }
    // Enough blobs to land in several shards, so the names are synced by syncfs too.
    let blobs = (0..<12).map { _ in randomBytes(3_000) }
    fault.failFileSystemSync(errno: EIO, after: 1)  // the contents' barrier passes, not the names'
    let results = cache.putBlobs(blobs + [blobs[0]])
    XCTAssertEqual(fault.fileSystemSyncCount, 2)
    for result in results {
      guard case .failure(let error) = result else {
        return XCTFail("reported durable although the names' barrier failed")
      }
      XCTAssertEqual(error.errno, EIO)
    }
    XCTAssertEqual(try stagingFiles(), [])
  }

  func testConcurrentWritersShareBarriersAndLoseNothing() throws {
    let cache = try openCache()
    let writers = 6
    let perWriter = 25
    let blobs = (0..<writers * perWriter).map { _ in randomBytes(4_000) }
    let failures = Locked(0)
    onThreads(writers) { writer in
      for index in stride(from: writer, to: blobs.count, by: writers) {
        do { try cache.putBlob(blobs[index]) } catch { failures.withLock { $0 += 1 } }
      }
    }
    XCTAssertEqual(failures.withLock { $0 }, 0)
    XCTAssertEqual(try blobFiles().count, blobs.count)
    for data in blobs { XCTAssertEqual(try cache.readBlob(Digest.of(data)), data) }
    XCTAssertEqual(try stagingFiles(), [])
    XCTAssertTrue(try cache.verify(repair: false).isClean)
  }

  // MARK: The grouping itself

  func testCallersArrivingDuringABarrierFormTheNextGroup() {
    let commits = GroupCommit<Int, Int>()
    let groups = Locked<[Int]>([])
    let wrong = Locked(0)
    let callers = 8
    let perCaller = 10
    onThreads(callers) { caller in
      for round in 0..<perCaller {
        let items = [caller * 1_000 + round, caller * 1_000 + round + 500]
        let outcomes = commits.commit(items) { group in
          groups.withLock { $0.append(group.count) }
          usleep(2_000)  // a barrier: long enough for the other callers to queue up
          return group.map { $0 * 2 }
        }
        if outcomes != items.map({ $0 * 2 }) { wrong.withLock { $0 += 1 } }
      }
    }
    XCTAssertEqual(wrong.withLock { $0 }, 0, "a caller got another caller's outcomes")
    let sizes = groups.withLock { $0 }
    XCTAssertEqual(sizes.reduce(0, +), callers * perCaller * 2, "every item published once")
    XCTAssertLessThan(sizes.count, callers * perCaller, "callers never shared a barrier")
  }

  /// syncfs is what groups share; where the system has none (or refuses it) these tests of
  /// syncfs accounting do not apply: the fallback has its own test.
  private func skipWithoutSyncfs() throws {
    let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY)
    defer { close(descriptor) }
    let result = FileIO.systemSyncFileSystem(descriptor)
    if result != 0 { throw XCTSkip("no usable syncfs here (errno \(-result))") }
  }

  /// Runs `body(index)` on `count` threads of their own at once (not a Dispatch pool, which may
  /// be one thread wide on a one-CPU machine) and waits for all of them.
  private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let done = DispatchGroup()
    for index in 0..<count {
      done.enter()
      Thread {
        body(index)
        done.leave()
      }.start()
    }
    done.wait()
  }

  func testALoneCallerIsAGroupOfItsOwn() {
    let commits = GroupCommit<String, Int>()
    XCTAssertEqual(commits.commit(["a", "bb"]) { $0.map(\.count) }, [1, 2])
    XCTAssertEqual(commits.commit([]) { $0.map(\.count) }, [])
  }
}
