import HalftoneStore
import Hummingbird

extension BlobReader {
  /// `count` bytes at `offset`, read straight into a new buffer. A blob shorter than that was
  /// damaged under us: a `storage` error, never a short body.
  func buffer(at offset: Int, count: Int) throws(StoreError) -> ByteBuffer {
    var buffer = ByteBufferAllocator().buffer(capacity: count)
    var failure: StoreError?
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
      do throws(StoreError) {
        return try readFully(
          at: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<count]))
      } catch {
        failure = error
        return 0
      }
    }
    if let failure { throw failure }
    guard buffer.readableBytes == count else {
      throw StoreError(
        kind: .storage,
        message:
          "a blob\(localPath.map { " (\($0))" } ?? "") is shorter than its \(size) bytes: damaged under us",
        path: localPath)
    }
    return buffer
  }
}
