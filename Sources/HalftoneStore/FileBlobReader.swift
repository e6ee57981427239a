#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A blob file open for `pread` (no shared file offset, so concurrent reads need no locking).
///
/// Blobs are immutable and thumbnails are kilobytes: a blocking `pread` of a file in the page
/// cache costs microseconds, less than a hop to a thread pool would.
final class FileBlobReader: BlobReader {
  let descriptor: Int32
  let path: String
  let size: Int

  var localPath: String? { path }

  /// Opens `path`; `nil` when there is no such file (a miss).
  static func open(_ path: String) throws(StoreError) -> FileBlobReader? {
    let fd = systemOpen(path)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return nil }
      throw StoreError.posix("open blob", path: path, errno: code)
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      _ = systemClose(fd)
      throw StoreError.posix("inspect blob", path: path, errno: code)
    }
    guard (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else {
      _ = systemClose(fd)
      throw StoreError(
        kind: .storage, message: "blob \(path) is not a regular file", path: path, errno: EISDIR)
    }
    return FileBlobReader(descriptor: fd, path: path, size: Int(info.st_size))
  }

  private init(descriptor: Int32, path: String, size: Int) {
    self.descriptor = descriptor
    self.path = path
    self.size = size
  }

  func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let got = pread(descriptor, base, buffer.count, off_t(offset))
      if got >= 0 { return got }
      if errno == EINTR { continue }
      throw StoreError.posix("read blob", path: path, errno: errno)
    }
  }

  func close() { _ = systemClose(descriptor) }
}

private func systemOpen(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
