import Crypto
import Foundation

/// Builds one blob from bytes that arrive in pieces (a download), without holding them in
/// memory: the file backend writes each piece to a staging file and hashes it on the way, so a
/// slow download costs a file descriptor, not the size of the image.
///
/// One writer, one blob, one user at a time (hand it between threads only with a happens-before
/// edge, e.g. a task awaiting the download that fed it). `commit()` publishes the blob exactly as
/// `BlobBackend.put` would (durable before visible, grouped fsyncs); a writer dropped without a
/// commit leaves nothing behind.
public protocol BlobWriter: AnyObject, Sendable {
  /// Bytes written since creation or the last `restart()`.
  var byteCount: Int { get }
  /// Appends bytes. Fails with `storage` on a write error (a full disk: ENOSPC) or past the
  /// backend's blob size limit.
  func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError)
  /// Discards everything written so far (a retried download starts over).
  func restart() throws(StoreError)
  /// Makes the bytes a durable blob under their digest and returns it; reuses an identical blob
  /// already present. The writer is finished afterwards, whatever the outcome.
  func commit() throws(StoreError) -> Digest
  /// Drops the bytes without storing them. Safe to call more than once, or after `commit()`.
  func abandon()
}

/// For backends without staging files: collects the bytes in memory and `put`s them on commit.
final class BufferingBlobWriter: BlobWriter, @unchecked Sendable {
  private let backend: any BlobBackend
  private let maxBytes: Int
  private var data = Data()
  private var finished = false

  init(backend: any BlobBackend, maxBytes: Int) {
    self.backend = backend
    self.maxBytes = maxBytes
  }

  var byteCount: Int { data.count }

  func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
    try BlobWriterChecks.accept(bytes.count, after: data.count, limit: maxBytes, finished)
    data.append(contentsOf: bytes)
  }

  func restart() throws(StoreError) { data.removeAll(keepingCapacity: true) }

  func commit() throws(StoreError) -> Digest {
    try BlobWriterChecks.accept(0, after: data.count, limit: maxBytes, finished)
    finished = true
    defer { data = Data() }
    let digest = Digest.of(data)
    _ = try backend.put(data, as: digest)
    return digest
  }

  func abandon() {
    finished = true
    data = Data()
  }
}

/// The checks every writer makes before taking more bytes.
public enum BlobWriterChecks {
  public static func accept(
    _ count: Int, after written: Int, limit: Int, _ finished: Bool
  ) throws(StoreError) {
    guard !finished else {
      throw StoreError(kind: .internal, message: "blob writer used after commit or abandon")
    }
    guard written + count <= limit else {
      throw StoreError(
        kind: .storage,
        message: "refused to store a blob of more than \(limit) bytes (the cache's blob size limit)"
      )
    }
  }
}
