import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `BlobWriter` that streams into a staging file in the cache's tmp/ and hashes on the way.
/// Memory stays at a few buffers however large or slow the blob; a process killed mid-download
/// leaves only a staging file, which `verify --repair` and `gc` remove.
final class FileBlobWriter: BlobWriter, @unchecked Sendable {
  private let backend: FileBlobBackend
  private let tempPath: String
  /// Open until the blob is published or abandoned (-1 then).
  private var descriptor: Int32
  private var hasher = SHA256()
  private(set) var byteCount = 0
  private var finished = false
  /// A write failed part-way: the file no longer matches the hash. Only `restart()` clears it.
  private var failed = false

  init(backend: FileBlobBackend) throws(StoreError) {
    self.backend = backend
    (tempPath, descriptor) = try backend.createTemporary(prefix: "stream")
    // Held until the file is published or dropped: gc and verify --repair leave a locked staging
    // file alone however old it looks (a slow download can take minutes).
    _ = flock(descriptor, LOCK_SH)
  }

  deinit { abandon() }

  func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
    try BlobWriterChecks.accept(
      bytes.count, after: byteCount, limit: backend.maxBlobBytes, finished)
    try checkNotFailed()
    if let failure = backend.writeAll(descriptor, bytes) {
      failed = true
      throw StoreError.posix("write blob bytes to", path: tempPath, errno: failure)
    }
    hasher.update(bufferPointer: bytes)
    byteCount += bytes.count
  }

  func restart() throws(StoreError) {
    try BlobWriterChecks.accept(0, after: 0, limit: backend.maxBlobBytes, finished)
    guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
      throw StoreError.posix("truncate", path: tempPath, errno: errno)
    }
    hasher = SHA256()
    byteCount = 0
    failed = false
  }

  private func checkNotFailed() throws(StoreError) {
    guard failed else { return }
    throw StoreError(
      kind: .internal,
      message: "blob writer used after a failed write (\(tempPath) no longer matches its hash): "
        + "restart it or abandon it")
  }

  func commit() throws(StoreError) -> Digest {
    try BlobWriterChecks.accept(0, after: byteCount, limit: backend.maxBlobBytes, finished)
    try checkNotFailed()
    finished = true
    let digest = Digest(hasher.finalize())
    let descriptor = self.descriptor
    self.descriptor = -1  // publishStaged closes it and removes the staging name
    _ = try backend.publishStaged(
      tempPath: tempPath, descriptor: descriptor, digest: digest, bytes: byteCount)
    return digest
  }

  func abandon() {
    finished = true
    guard descriptor >= 0 else { return }
    close(descriptor)
    unlink(tempPath)
    descriptor = -1
  }
}
