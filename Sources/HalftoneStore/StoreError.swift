@_exported import HalftoneCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failure of the cache: the disk (kind `.storage`), or its SQLite index (`.indexCorrupt`,
/// `.indexTooNew`, or `.storage` for I/O trouble such as a full disk).
///
/// The message names the file involved and, where one applies, what the user can do about it.
public struct StoreError: HalftoneError, Equatable {
  public var kind: ErrorKind
  public var message: String
  /// The file or directory involved, when there is one.
  public var path: String?
  /// The POSIX errno, for system-call failures.
  public var errno: Int32?

  public init(kind: ErrorKind, message: String, path: String? = nil, errno: Int32? = nil) {
    self.kind = kind
    self.message = message
    self.path = path
    self.errno = errno
  }

  /// A failed system call: "could not <operation> <path>: <strerror> (<ENAME>); <hint>".
  public static func posix(_ operation: String, path: String, errno code: Int32) -> StoreError {
    var text = "could not \(operation) \(path): \(errnoText(code))"
    if let hint = hint(forErrno: code) { text += "; \(hint)" }
    return StoreError(kind: .storage, message: text, path: path, errno: code)
  }

  /// `strerror` plus the symbolic name, e.g. "No space left on device (ENOSPC)".
  public static func errnoText(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    if let name = errnoNames[code] { return "\(text) (\(name))" }
    return "\(text) (errno \(code))"
  }

  private static let errnoNames: [Int32: String] = [
    ENOSPC: "ENOSPC", EACCES: "EACCES", EPERM: "EPERM", EROFS: "EROFS", ENOTDIR: "ENOTDIR",
    ENOENT: "ENOENT", EEXIST: "EEXIST", EIO: "EIO", EDQUOT: "EDQUOT", EISDIR: "EISDIR",
    EMFILE: "EMFILE", ENFILE: "ENFILE", ENAMETOOLONG: "ENAMETOOLONG", EXDEV: "EXDEV",
    EINVAL: "EINVAL",
  ]

  private static func hint(forErrno code: Int32) -> String? {
    switch code {
    case ENOSPC, EDQUOT:
      "the disk is full: free space, or shrink the cache with `halftone gc --max-size SIZE`"
    case EACCES, EPERM:
      "check the permissions of the cache directory, or choose another with --cache DIR"
    case EROFS:
      "the cache is on a read-only filesystem: choose a writable one with --cache DIR"
    case ENOTDIR:
      "a part of that path is a regular file, not a directory: move it or choose --cache DIR"
    case EIO:
      "the disk reported an I/O error: check it, then run `halftone verify`"
    default: nil
    }
  }
}
