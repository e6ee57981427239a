import Foundation

/// One blob opened for reading. A local file is read with `pread` (no shared offset, so one
/// reader may serve concurrent reads); an object store answers each read with a ranged GET.
public protocol BlobReader: Sendable {
  /// Size in bytes when opened (blobs never change once written).
  var size: Int { get }
  /// The local file holding the bytes, where the backend has one (zero-copy serving, and a path
  /// for `lookup` to print); `nil` otherwise.
  var localPath: String? { get }
  /// Reads up to `buffer.count` bytes at `offset`; the number read, 0 at the end of the blob.
  func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int
  /// Releases what the reader holds (a file descriptor). Call once; no reads afterwards.
  func close()
}

extension BlobReader {
  /// Reads until `buffer` is full or the blob ends; the number of bytes read (fewer than asked
  /// only if the blob is shorter than it was: damaged under us).
  public func readFully(
    at offset: Int, into buffer: UnsafeMutableRawBufferPointer
  ) throws(StoreError) -> Int {
    var total = 0
    while total < buffer.count {
      let got = try read(
        at: offset + total, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
      if got == 0 { break }
      total += got
    }
    return total
  }

  /// Refuses (`storage`) to read a blob larger than `limit` bytes into memory.
  func checkSize(_ digest: Digest, limit: Int) throws(StoreError) {
    guard size > limit else { return }
    let name = localPath ?? digest.hex
    throw StoreError(
      kind: .storage,
      message: "refused to read blob \(name): \(size) bytes is over the \(limit) limit",
      path: localPath)
  }
}
