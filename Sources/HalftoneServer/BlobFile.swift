import Hummingbird

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open blob file, read with `pread` (no shared file offset, so reads need no locking).
///
/// Blobs are immutable and small (thumbnails are kilobytes): a blocking `pread` of a file in the
/// page cache costs microseconds, less than a hop to a thread pool would. The descriptor is
/// closed by `close()` or, for streamed bodies, when the last chunk is written.
final class BlobFile: Sendable {
  let descriptor: Int32
  let path: String
  /// Size in bytes when opened (blobs never change once written).
  let size: Int

  /// Opens `path`; `nil` when there is no such file (a miss).
  static func open(_ path: String) throws(BlobReadError) -> BlobFile? {
    let fd = systemOpen(path)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return nil }
      throw BlobReadError(operation: "open", path: path, errno: code)
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      _ = systemClose(fd)
      throw BlobReadError(operation: "inspect", path: path, errno: code)
    }
    guard (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else {
      _ = systemClose(fd)
      throw BlobReadError(operation: "open (not a regular file)", path: path, errno: EISDIR)
    }
    return BlobFile(descriptor: fd, path: path, size: Int(info.st_size))
  }

  private init(descriptor: Int32, path: String, size: Int) {
    self.descriptor = descriptor
    self.path = path
    self.size = size
  }

  func close() { _ = systemClose(descriptor) }

  /// Reads `count` bytes at `offset` into a new buffer: one `pread`, unless interrupted or short.
  func read(offset: Int, count: Int) throws(BlobReadError) -> ByteBuffer {
    var buffer = ByteBufferAllocator().buffer(capacity: count)
    var failure: Int32 = 0
    while buffer.readableBytes < count {
      let done = buffer.readableBytes
      let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) {
        pointer -> Int in
        while true {
          let result = pread(descriptor, pointer.baseAddress, count - done, off_t(offset + done))
          if result >= 0 { return result }
          if errno == EINTR { continue }
          failure = errno
          return 0
        }
      }
      if failure != 0 { throw BlobReadError(operation: "read", path: path, errno: failure) }
      // The file is shorter than its size said: it was damaged under us.
      if got == 0 { throw BlobReadError(operation: "read (short)", path: path, errno: EIO) }
    }
    return buffer
  }

  /// The first bytes, for sniffing the format.
  func head() throws(BlobReadError) -> ByteBuffer { try read(offset: 0, count: min(32, size)) }
}

private func systemOpen(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// A blob that exists but cannot be read (permissions, I/O error): a 500, never a 404.
struct BlobReadError: Error, CustomStringConvertible {
  var operation: String
  var path: String
  var errno: Int32

  var description: String {
    "could not \(operation) blob \(path): \(String(cString: strerror(errno))) (errno \(errno))"
  }
}
