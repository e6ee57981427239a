import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The system calls a blob write's durability depends on, replaceable so tests can inject a
/// failure in the middle of a write (a full disk) or of a barrier, and check that nothing partial
/// is left behind.
public struct FileIO: Sendable {
  /// Like write(2), but returns the number of bytes written, or `-errno` on failure.
  public var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int
  /// Like fsync(2), but returns 0, or `-errno` on failure.
  public var fsync: @Sendable (_ fd: Int32) -> Int32
  /// Like syncfs(2) (every dirty page and inode of the file system holding `fd`), but returns 0,
  /// or `-errno` on failure; `-ENOSYS` where the system has no syncfs.
  public var syncFileSystem: @Sendable (_ fd: Int32) -> Int32

  public init(
    write: @escaping @Sendable (Int32, UnsafeRawPointer, Int) -> Int,
    fsync: @escaping @Sendable (Int32) -> Int32,
    syncFileSystem: @escaping @Sendable (Int32) -> Int32 = FileIO.systemSyncFileSystem
  ) {
    self.write = write
    self.fsync = fsync
    self.syncFileSystem = syncFileSystem
  }

  /// The real system calls.
  public static let posix = FileIO(
    write: { fd, bytes, count in
      let written = systemWrite(fd, bytes, count)
      return written >= 0 ? written : -Int(errno)
    },
    fsync: { fd in systemFsync(fd) == 0 ? 0 : -errno },
    syncFileSystem: FileIO.systemSyncFileSystem
  )

  /// syncfs(2) as `FileIO` calls it: 0, or `-errno`; `-ENOSYS` where the system has none.
  @Sendable public static func systemSyncFileSystem(_ fd: Int32) -> Int32 {
    guard let call = syncfsSymbol else { return -ENOSYS }
    return call(fd) == 0 ? 0 : -errno
  }
}

/// syncfs(2), looked up at run time: Glibc's Swift module does not declare it (it is a GNU
/// extension), and Darwin has none.
private let syncfsSymbol: (@convention(c) (Int32) -> Int32)? = {
  #if os(Linux)
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
  #else
    return nil
  #endif
}()

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}

private func systemFsync(_ fd: Int32) -> Int32 { fsync(fd) }

/// What `stat(2)` says about a path, reduced to what the store needs.
struct FileStatus {
  var isDirectory: Bool
  var isRegularFile: Bool
  var bytes: Int
  var modified: Date
}

enum POSIX {
  /// `nil` when the path does not exist; throws on other errors (EACCES, ENOTDIR…).
  static func status(_ path: String) throws(StoreError) -> FileStatus? {
    var info = stat()
    if stat(path, &info) != 0 {
      let code = errno
      if code == ENOENT { return nil }
      throw StoreError.posix("inspect", path: path, errno: code)
    }
    return FileStatus(info)
  }

  /// Creates a directory if it is missing; fsyncs the parent when it created one, so the new
  /// directory survives a power cut together with the files later placed in it.
  static func ensureDirectory(_ path: String, durable: Bool) throws(StoreError) {
    if mkdir(path, 0o755) == 0 {
      if durable { try syncDirectory((path as NSString).deletingLastPathComponent) }
      return
    }
    let code = errno
    guard code == EEXIST else {
      throw StoreError.posix("create directory", path: path, errno: code)
    }
    guard let existing = try status(path), existing.isDirectory else {
      throw StoreError(
        kind: .storage,
        message: "could not use \(path) as a directory: it exists and is a file; move it away or "
          + "choose another cache with --cache DIR",
        path: path, errno: ENOTDIR)
    }
  }

  /// Like `mkdir -p`: creates the missing directories along `path`.
  static func ensureDirectoryTree(_ path: String, durable: Bool) throws(StoreError) {
    if let existing = try status(path) {
      guard existing.isDirectory else {
        throw StoreError.posix("use as a directory", path: path, errno: ENOTDIR)
      }
      return
    }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty && parent != path { try ensureDirectoryTree(parent, durable: durable) }
    try ensureDirectory(path, durable: durable)
  }

  /// fsync(2) on a directory, which makes a rename or link inside it durable.
  static func syncDirectory(_ path: String) throws(StoreError) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw StoreError.posix("open directory", path: path, errno: errno) }
    defer { close(fd) }
    if fsync(fd) != 0 { throw StoreError.posix("sync directory", path: path, errno: errno) }
  }

  /// Names in a directory, without "." and ".."; empty when the directory does not exist.
  static func list(_ path: String) throws(StoreError) -> [String] {
    guard let dir = opendir(path) else {
      let code = errno
      if code == ENOENT { return [] }
      throw StoreError.posix("list", path: path, errno: code)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// unlink(2); `false` when the file was already gone.
  static func unlinkFile(_ path: String) throws(StoreError) -> Bool {
    if unlink(path) == 0 { return true }
    let code = errno
    if code == ENOENT { return false }
    throw StoreError.posix("remove", path: path, errno: code)
  }

  /// Sets a file's modification (and access) time to now; `false` when the file is gone.
  static func touch(_ path: String) throws(StoreError) -> Bool {
    if utimensat(AT_FDCWD, path, nil, 0) == 0 { return true }
    let code = errno
    if code == ENOENT { return false }
    throw StoreError.posix("update the time of", path: path, errno: code)
  }
}

extension FileStatus {
  init(_ info: stat) {
    let kind = info.st_mode & S_IFMT
    isDirectory = kind == S_IFDIR
    isRegularFile = kind == S_IFREG
    bytes = Int(info.st_size)
    #if canImport(Darwin)
      let time = info.st_mtimespec
    #else
      let time = info.st_mtim
    #endif
    modified = Date(
      timeIntervalSince1970: TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1e9)
  }
}

/// An advisory lock on a file (flock(2)), shared or exclusive, held between processes.
///
/// Each acquisition opens its own descriptor: flock locks belong to an open file description, so
/// two threads of one process using separate descriptors exclude each other just like two
/// processes do. The kernel drops the lock when a process dies, so a killed holder never leaves
/// the cache locked.
struct FileLock {
  let path: String

  func withLock<T>(
    exclusive: Bool, _ body: () throws(StoreError) -> T
  ) throws(StoreError) -> T {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw StoreError.posix("open lock file", path: path, errno: errno) }
    defer { close(fd) }
    while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
      let code = errno
      if code == EINTR { continue }
      throw StoreError.posix("lock", path: path, errno: code)
    }
    return try body()
  }
}
