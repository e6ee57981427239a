import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One input the walker found.
enum WalkedPath {
  /// A file; `format` nil means "sniff it" (a file named explicitly with an unknown extension).
  case file(String, format: RecordFormat?)
  case standardInput
  /// A path that cannot be read.
  case problem(RecordProblem)
}

/// Expands the paths a user gave into the files to read, lazily: a directory is listed only when
/// the walk reaches it. Paths given are taken in order; under a directory, entries are visited in
/// sorted order (so runs are reproducible), recursively, skipping hidden entries (`.git`…),
/// files with unknown extensions and anything that is not a regular file or directory. Directories
/// reached twice (symlink loops) are visited once.
struct PathWalker {
  private enum Pending {
    case given(String)
    case found(String, depth: Int)
  }

  /// A stack: the next path to look at is last.
  private var pending: [Pending]
  private var visitedDirectories: Set<FileIdentity> = []
  private let maxDepth: Int

  private struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
  }

  init(paths: [String], maxDepth: Int) {
    pending = paths.reversed().map { .given($0) }
    self.maxDepth = maxDepth
  }

  mutating func next() -> WalkedPath? {
    while let entry = pending.popLast() {
      switch entry {
      case .given("-"):
        return .standardInput
      case .given(let path):
        guard let info = Self.status(of: path) else { return unreadable(path) }
        if Self.isDirectory(info) {
          if let problem = enter(path, info: info, depth: 0) { return problem }
          continue
        }
        return .file(path, format: RecordFormat(path: path))
      case .found(let path, let depth):
        guard let info = Self.status(of: path) else { return unreadable(path) }
        if Self.isDirectory(info) {
          if let problem = enter(path, info: info, depth: depth) { return problem }
          continue
        }
        if (info.st_mode & S_IFMT) == S_IFREG, let format = RecordFormat(path: path) {
          return .file(path, format: format)
        }
      }
    }
    return nil
  }

  /// Queues a directory's entries; returns a problem if it cannot be listed or is too deep.
  private mutating func enter(_ directory: String, info: stat, depth: Int) -> WalkedPath? {
    let identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    guard visitedDirectories.insert(identity).inserted else { return nil }
    guard depth <= maxDepth else {
      return problem(
        "the directory is more than \(maxDepth) levels below the path given; it is skipped",
        directory)
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      return problem("cannot list the directory: \(Self.reason(error))", directory)
    }
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    for name in names.filter({ !$0.hasPrefix(".") }).sorted().reversed() {
      pending.append(.found(prefix + name, depth: depth + 1))
    }
    return nil
  }

  private func unreadable(_ path: String) -> WalkedPath {
    problem("cannot read: \(String(cString: strerror(errno)))", path)
  }

  private func problem(_ message: String, _ path: String) -> WalkedPath {
    .problem(RecordProblem(message: message, location: RecordLocation(file: path, line: 0)))
  }

  /// `stat` (following symlinks), or nil with `errno` set.
  private static func status(of path: String) -> stat? {
    var info = stat()
    return stat(path, &info) == 0 ? info : nil
  }

  private static func isDirectory(_ info: stat) -> Bool {
    (info.st_mode & S_IFMT) == S_IFDIR
  }

  private static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return nsError.localizedDescription
  }
}
