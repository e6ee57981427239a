#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opening and bounded whole-file reading, with errors worded for a user.
enum FileInput {
  /// Opens `path` read-only; on failure, the system's reason ("No such file or directory").
  static func openForReading(_ path: String) -> Result<Int32, FileInputError> {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(.system(String(cString: strerror(errno)))) }
    return .success(descriptor)
  }

  /// Reads all of `descriptor` (not closing it), refusing more than `limit` bytes without reading
  /// them: regular files are checked by size first, pipes as they are read.
  static func readAll(_ descriptor: Int32, limit: Int) -> Result<[UInt8], FileInputError> {
    var info = stat()
    if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit
    {
      return .failure(.tooLarge(limit: limit))
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { return .success(bytes) }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(.system(String(cString: strerror(errno))))
      }
      if bytes.count + count > limit { return .failure(.tooLarge(limit: limit)) }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }
}

/// Why a file could not be read.
enum FileInputError: Error {
  case system(String)
  case tooLarge(limit: Int)

  /// A message naming the cause and what to do.
  func message(for format: String) -> String {
    switch self {
    case .system(let reason):
      "cannot read the file: \(reason)"
    case .tooLarge(let limit):
      "the file is larger than the \(ByteCountText.describe(limit)) limit for \(format); "
        + "split it, or convert it to JSON Lines (.jsonl), which is streamed"
    }
  }
}

/// Human-readable byte counts for messages.
enum ByteCountText {
  static func describe(_ bytes: Int) -> String {
    if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return "\(bytes)-byte"
  }
}
