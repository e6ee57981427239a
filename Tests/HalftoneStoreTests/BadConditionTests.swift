import Foundation
import GRDB
import HalftoneStore
import HalftoneTestSupport
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// Unwritable directories, full disks, damaged or too-new indexes: each gives a specific
/// `StoreError` naming the path, and nothing already stored is lost.
final class BadConditionTests: StoreTestCase {
  // MARK: Unwritable cache directory

  func testCacheUnderARegularFileIsRefused() throws {
    let file = directory.appendingPathComponent("not-a-directory")
    try Data("x".utf8).write(to: file)
    let error = expectStoreError {
      try Cache.open(root: file.appendingPathComponent("Cache"))
    }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertEqual(error?.errno, ENOTDIR)
    XCTAssertTrue(error?.message.contains(file.path) ?? false, error?.message ?? "")
    XCTAssertTrue(error?.message.contains("Not a directory (ENOTDIR)") ?? false)
  }

  func testBlobsDirectoryThatIsAFileIsRefused() throws {
    try FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
    try Data("x".utf8).write(to: cacheRoot.appendingPathComponent("blobs"))
    let error = expectStoreError { try openCache() }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertTrue(error?.message.contains(cacheRoot.appendingPathComponent("blobs").path) ?? false)
  }

  func testStagingDirectoryReplacedByAFileFailsTheWriteAndKeepsTheRest() throws {
    let cache = try openCache()
    let kept = randomBytes(5_000)
    let digest = try cache.putBlob(kept)
    try cache.recordOriginal(url: "https://a/kept", original: digest, format: .jpeg, bytes: 5_000)
    let staging = cacheRoot.appendingPathComponent("tmp")
    try FileManager.default.removeItem(at: staging)
    try Data("in the way".utf8).write(to: staging)

    let error = expectStoreError { try cache.putBlob(randomBytes(1_000)) }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertEqual(error?.errno, ENOTDIR)
    XCTAssertTrue(error?.message.contains(staging.path) ?? false, error?.message ?? "")
    XCTAssertEqual(try cache.original(forURL: "https://a/kept")?.original, digest)
    XCTAssertEqual(try cache.readBlob(digest), kept)
  }

  func testReadOnlyFilesystemIsReported() throws {
    let mountPoint = directory.appendingPathComponent("ro")
    try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
    guard runSystemCommand("/bin/mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.path)
    else {
      throw XCTSkip("cannot mount a tmpfs here (needs root)")
    }
    defer { runSystemCommand("/bin/umount", mountPoint.path) }
    let root = mountPoint.appendingPathComponent("Cache")
    let data = randomBytes(10_000)
    var digest: Digest?
    do {
      let cache = try Cache.open(root: root)
      digest = try cache.putBlob(data)
      try cache.recordOriginal(url: "https://a/ro", original: digest!, format: .png, bytes: 10_000)
    }  // closed: a remount to read-only needs no file open for writing
    XCTAssertTrue(runSystemCommand("/bin/mount", "-o", "remount,ro", mountPoint.path))

    let error = expectStoreError { try Cache.open(root: root) }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertEqual(error?.errno, EROFS)
    XCTAssertTrue(error?.message.contains("read-only") ?? false, error?.message ?? "")
    XCTAssertTrue(error?.message.contains(root.path) ?? false, error?.message ?? "")

    // Nothing was lost: writable again, the cache opens with its blob and row.
    XCTAssertTrue(runSystemCommand("/bin/mount", "-o", "remount,rw", mountPoint.path))
    let cache = try Cache.open(root: root)
    XCTAssertEqual(try cache.original(forURL: "https://a/ro")?.original, digest)
    XCTAssertEqual(try cache.readBlob(XCTUnwrap(digest)), data)
  }

  // MARK: Write errors in the middle of a blob

  func testInjectedDiskFullMidWriteLeavesNoPartialBlob() throws {
    let fault = FaultSwitch()
    let cache = try openCache { $0.fileIO = fault.io }
    let kept = try cache.putBlob(randomBytes(2_000))
    try cache.recordOriginal(url: "https://a/kept", original: kept, format: .jpeg, bytes: 2_000)

    fault.failWrite(after: 1, errno: ENOSPC)  // the first 1 MiB chunk lands, the second fails
    let big = randomBytes(3_000_000)
    let error = expectStoreError { try cache.putBlob(big) }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertEqual(error?.errno, ENOSPC)
    XCTAssertTrue(error?.message.contains("No space left on device (ENOSPC)") ?? false)
    XCTAssertTrue(
      error?.message.contains(cacheRoot.appendingPathComponent("tmp").path) ?? false,
      error?.message ?? "")
    XCTAssertTrue(error?.message.contains("halftone gc --max-size") ?? false)
    XCTAssertEqual(fault.writes, 2, "the failure really happened in the middle of the blob")
    XCTAssertFalse(cache.hasBlob(Digest.of(big)))
    XCTAssertEqual(try stagingFiles(), [], "the partial staging file was removed")

    fault.reset()
    fault.failSync(errno: EIO)
    let syncError = expectStoreError { try cache.putBlob(randomBytes(10_000)) }
    XCTAssertEqual(syncError?.errno, EIO)
    XCTAssertEqual(try stagingFiles(), [])

    fault.reset()
    XCTAssertEqual(try cache.putBlob(big), Digest.of(big), "the next write works")
    XCTAssertEqual(try cache.original(forURL: "https://a/kept")?.original, kept)
    let report = try cache.verify(repair: false)
    XCTAssertTrue(report.isClean, "\(report)")
    XCTAssertEqual(report.recentOrphans, 1, "the big blob, not yet recorded")
    XCTAssertEqual(report.recentLeftovers, 0)
  }

  func testRealFullDiskOnATinyFilesystem() throws {
    let mountPoint = directory.appendingPathComponent("small")
    try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
    guard runSystemCommand("/bin/mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", mountPoint.path)
    else { throw XCTSkip("cannot mount a tmpfs here (needs root)") }
    defer { runSystemCommand("/bin/umount", mountPoint.path) }
    let root = mountPoint.appendingPathComponent("Cache")
    let cache = try Cache.open(root: root)
    let kept = randomBytes(100_000)
    let digest = try cache.putBlob(kept)
    try cache.recordOriginal(url: "https://a/kept", original: digest, format: .png, bytes: 100_000)

    let tooBig = randomBytes(800_000)
    let error = expectStoreError { try cache.putBlob(tooBig) }
    XCTAssertEqual(error?.kind, .storage)
    XCTAssertEqual(error?.errno, ENOSPC)
    XCTAssertTrue(error?.message.contains(root.appendingPathComponent("tmp").path) ?? false)
    XCTAssertFalse(cache.hasBlob(Digest.of(tooBig)))
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(
        atPath: root.appendingPathComponent("tmp").path), [])
    XCTAssertEqual(try cache.readBlob(digest), kept)
    XCTAssertEqual(try cache.original(forURL: "https://a/kept")?.original, digest)
    XCTAssertTrue(try cache.verify(repair: false, grace: 0).isClean)
  }

  // MARK: Index

  func testIndexThatIsNotSQLiteIsRefusedAndLeftAlone() throws {
    try FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
    let index = cacheRoot.appendingPathComponent("index.sqlite")
    let text = Data("<html>this is not a database</html>\n".utf8)
    try text.write(to: index)
    let error = expectStoreError { try openCache() }
    XCTAssertEqual(error?.kind, .indexCorrupt)
    XCTAssertEqual(error?.path, index.path)
    XCTAssertTrue(error?.message.contains("not a SQLite database") ?? false)
    XCTAssertTrue(error?.message.contains("Move it aside") ?? false)
    XCTAssertEqual(try Data(contentsOf: index), text, "the file was not touched")
  }

  func testIndexWithDamagedHeaderIsCorrupt() throws {
    try FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
    let index = cacheRoot.appendingPathComponent("index.sqlite")
    try (Data("SQLite format 3\0".utf8) + Data(repeating: 0xEE, count: 8_192)).write(to: index)
    let error = expectStoreError { try openCache() }
    XCTAssertEqual(error?.kind, .indexCorrupt, error?.message ?? "")
    XCTAssertEqual(error?.path, index.path)
  }

  func testIndexFromANewerSchemaIsRefusedAndLeftAlone() throws {
    do {
      let cache = try openCache()
      let digest = try cache.putBlob(randomBytes(100))
      try cache.recordOriginal(url: "https://a/x", original: digest, format: .png, bytes: 100)
    }
    let index = cacheRoot.appendingPathComponent("index.sqlite").path
    try DatabaseQueue(path: index).write { db in try db.execute(sql: "PRAGMA user_version = 99") }

    let error = expectStoreError { try openCache() }
    XCTAssertEqual(error?.kind, .indexTooNew)
    XCTAssertEqual(error?.path, index)
    XCTAssertTrue(error?.message.contains("schema version 99") ?? false, error?.message ?? "")
    XCTAssertTrue(error?.message.contains("up to 3") ?? false, error?.message ?? "")
    let (version, rows) = try DatabaseQueue(path: index).read { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA user_version"),
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM originals")
      )
    }
    XCTAssertEqual(version, 99)
    XCTAssertEqual(rows, 1)
  }

}

/// Replaces write(2)/fsync(2) of a cache with versions that fail on demand.
final class FaultSwitch: @unchecked Sendable {
  private let lock = NSLock()
  private var writeFailure: (after: Int, errno: Int32)?
  private var syncFailure: Int32?
  private var fileSystemSyncFailure: (after: Int, errno: Int32)?
  private(set) var writes = 0
  private var fileSystemSyncs = 0
  private var fileSyncs = 0

  /// syncfs calls that reached the switch (failed or not).
  var fileSystemSyncCount: Int { lock.withLock { fileSystemSyncs } }
  /// fsync calls on files that reached the switch (failed or not).
  var fileSyncCount: Int { lock.withLock { fileSyncs } }

  /// syncfs fails with `errno` from now on, after `after` more successful calls (`ENOSYS`: as
  /// if the system had none).
  func failFileSystemSync(errno: Int32, after successfulCalls: Int = 0) {
    lock.withLock { fileSystemSyncFailure = (fileSystemSyncs + successfulCalls, errno) }
  }

  func failWrite(after successfulWrites: Int, errno: Int32) {
    lock.withLock {
      writeFailure = (successfulWrites, errno)
      writes = 0
    }
  }

  func failSync(errno: Int32) { lock.withLock { syncFailure = errno } }

  func reset() {
    lock.withLock {
      writeFailure = nil
      syncFailure = nil
      fileSystemSyncFailure = nil
    }
  }

  var io: FileIO {
    FileIO(
      write: { [self] fd, bytes, count in
        let failure: Int32? = lock.withLock {
          writes += 1
          guard let writeFailure, writes > writeFailure.after else { return nil }
          return writeFailure.errno
        }
        if let failure { return -Int(failure) }
        return FileIO.posix.write(fd, bytes, count)
      },
      fsync: { [self] fd in
        let failure = lock.withLock { () -> Int32? in
          fileSyncs += 1
          return syncFailure
        }
        if let failure { return -failure }
        return FileIO.posix.fsync(fd)
      },
      syncFileSystem: { [self] fd in
        let failure = lock.withLock { () -> Int32? in
          fileSystemSyncs += 1
          guard let failure = fileSystemSyncFailure, fileSystemSyncs > failure.after else {
            return nil
          }
          return failure.errno
        }
        if let failure { return -failure }
        return FileIO.posix.syncFileSystem(fd)
      })
  }
}
