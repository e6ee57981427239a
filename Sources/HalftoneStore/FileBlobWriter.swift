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

  init(backend: FileBlobBackend) throws(StoreError) {
    self.backend = backend
    (tempPath, descriptor) = try backend.createTemporary(prefix: "stream")
  }

  deinit { abandon() }

  func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
    try BlobWriterChecks.accept(
      bytes.count, after: byteCount, limit: backend.maxBlobBytes, finished)
    if let failure = backend.writeAll(descriptor, bytes) {
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
  }

  func commit() throws(StoreError) -> Digest {
    try BlobWriterChecks.accept(0, after: byteCount, limit: backend.maxBlobBytes, finished)
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
