import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Blobs as files: `<root>/blobs/sha256/<first 2 hex>/<64 hex>`, staged in `<root>/tmp/`,
/// corrupt ones moved to `<root>/quarantine/`.
///
/// A write goes: create `tmp/<name>.tmp` exclusively → write all bytes → fsync the file →
/// `link(2)` it to its final name (which never replaces an existing blob) → fsync the shard
/// directory → unlink the temporary name. A reader therefore sees either no blob or the whole
/// blob, even if the writer is killed at any instant; a failed write (a full disk) removes its
/// temporary file before it throws. Only POSIX calls are used, so every failure carries its errno.
public final class FileBlobBackend: BlobBackend {
  /// The cache root this backend lives in.
  public let root: URL
  /// Refused above this size, on write and on read (the memory a single blob may take).
  public let maxBlobBytes: Int

  let blobsPath: String
  let tmpPath: String
  let quarantinePath: String
  let lock: FileLock
  let io: FileIO
  let durable: Bool

  /// Creates `blobs/sha256/`, `tmp/` under `root` when missing.
  /// - Parameters:
  ///   - durable: fsync files and directories (turn off only for throwaway caches).
  ///   - io: the write/fsync calls; tests replace them to inject failures.
  public init(
    root: URL, maxBlobBytes: Int = 512 << 20, durable: Bool = true, io: FileIO = .posix
  ) throws(StoreError) {
    self.root = root
    self.maxBlobBytes = maxBlobBytes
    self.durable = durable
    self.io = io
    let rootPath = root.path
    blobsPath = rootPath + "/blobs/sha256"
    tmpPath = rootPath + "/tmp"
    quarantinePath = rootPath + "/quarantine"
    lock = FileLock(path: rootPath + "/lock")
    try POSIX.ensureDirectory(rootPath + "/blobs", durable: durable)
    try POSIX.ensureDirectory(blobsPath, durable: durable)
    try POSIX.ensureDirectory(tmpPath, durable: durable)
  }

  /// The final path of a blob (whether or not it exists).
  public func path(for digest: Digest) -> String {
    "\(blobsPath)/\(digest.shard)/\(digest.hex)"
  }

  public func localURL(for digest: Digest) -> URL? { URL(fileURLWithPath: path(for: digest)) }

  // MARK: Writing

  public func put(_ data: Data, as digest: Digest) throws(StoreError) -> PutOutcome {
    guard data.count <= maxBlobBytes else {
      throw StoreError(
        kind: .storage,
        message: "refused to store a blob of \(data.count) bytes: the limit is \(maxBlobBytes)")
    }
    let finalPath = path(for: digest)
    if try reuseExisting(at: finalPath, expectedBytes: data.count) { return .alreadyPresent }

    let tempPath = try writeTemporary(data, named: digest)
    // After a successful link the temporary name is redundant; after a failure it is partial.
    // Either way it goes.
    defer { unlink(tempPath) }
    return try publish(tempPath, at: finalPath, shard: String(digest.shard), bytes: data.count)
  }

  /// A blob already present with the right size is reused: its mtime is refreshed under the
  /// shared lock, so a garbage collector (which removes under the exclusive lock, and only blobs
  /// older than its grace period) cannot remove it between this check and the caller's use.
  /// A present blob with the wrong size is damaged and will be replaced.
  private func reuseExisting(at finalPath: String, expectedBytes: Int) throws(StoreError) -> Bool {
    try lock.withLock(exclusive: false) { () throws(StoreError) -> Bool in
      guard let existing = try POSIX.status(finalPath), existing.bytes == expectedBytes else {
        return false
      }
      return try POSIX.touch(finalPath)
    }
  }

  private func writeTemporary(_ data: Data, named digest: Digest) throws(StoreError) -> String {
    let name = "\(digest.hex.prefix(16))-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
    let tempPath = "\(tmpPath)/\(name)"
    var fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    if fd < 0 && errno == ENOENT {
      // Someone removed tmp/ under us: recreate it once.
      try POSIX.ensureDirectory(tmpPath, durable: durable)
      fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    }
    guard fd >= 0 else {
      throw StoreError.posix("create temporary file", path: tempPath, errno: errno)
    }
    var failure: (operation: String, code: Int32)? = data.withUnsafeBytes { raw in
      writeAll(fd, raw).map { ("write blob bytes to", $0) }
    }
    if failure == nil && durable {
      let result = io.fsync(fd)
      if result != 0 { failure = ("sync", -result) }
    }
    if close(fd) != 0 && failure == nil { failure = ("close", errno) }
    if let failure {
      unlink(tempPath)
      throw StoreError.posix(failure.operation, path: tempPath, errno: failure.code)
    }
    return tempPath
  }

  /// Writes every byte; returns the errno of a failure, or `nil`.
  private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    guard var cursor = bytes.baseAddress else { return nil }
    var remaining = bytes.count
    while remaining > 0 {
      let written = io.write(fd, cursor, min(remaining, 1 << 20))
      if written == -Int(EINTR) { continue }
      if written < 0 { return Int32(-written) }
      if written == 0 { return EIO }
      cursor += written
      remaining -= written
    }
    return nil
  }

  /// Gives the written temporary file its final name without ever replacing a good blob.
  private func publish(
    _ tempPath: String, at finalPath: String, shard: String, bytes: Int
  ) throws(StoreError) -> PutOutcome {
    let shardPath = "\(blobsPath)/\(shard)"
    var result = link(tempPath, finalPath)
    if result != 0 && errno == ENOENT {
      try POSIX.ensureDirectory(shardPath, durable: durable)
      result = link(tempPath, finalPath)
    }
    if result != 0 {
      let code = errno
      switch code {
      case EEXIST:
        // A concurrent writer published the same bytes first, or a damaged blob is in the way.
        if let existing = try POSIX.status(finalPath), existing.bytes == bytes {
          return .alreadyPresent
        }
        try renameReplacing(tempPath, finalPath)
      case EPERM, EOPNOTSUPP, EMLINK:
        // Filesystems without hard links: rename. Equal names mean equal bytes, so replacing a
        // blob a concurrent writer just published is harmless.
        try renameReplacing(tempPath, finalPath)
      default:
        throw StoreError.posix("publish blob", path: finalPath, errno: code)
      }
    }
    if durable { try POSIX.syncDirectory(shardPath) }
    return .stored
  }

  private func renameReplacing(_ from: String, _ to: String) throws(StoreError) {
    if rename(from, to) != 0 { throw StoreError.posix("publish blob", path: to, errno: errno) }
  }

  // MARK: Reading

  public func contains(_ digest: Digest) -> Bool {
    access(path(for: digest), F_OK) == 0
  }

  public func info(_ digest: Digest) throws(StoreError) -> BlobEntry? {
    guard let status = try POSIX.status(path(for: digest)) else { return nil }
    return BlobEntry(digest: digest, bytes: status.bytes, modified: status.modified)
  }

  public func get(_ digest: Digest) throws(StoreError) -> Data? {
    let blobPath = path(for: digest)
    let fd = open(blobPath, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT { return nil }
      throw StoreError.posix("open blob", path: blobPath, errno: code)
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw StoreError.posix("inspect blob", path: blobPath, errno: errno)
    }
    let size = Int(info.st_size)
    guard size <= maxBlobBytes else {
      throw StoreError(
        kind: .storage,
        message:
          "refused to read blob \(blobPath): \(size) bytes is over the \(maxBlobBytes) limit",
        path: blobPath)
    }
    var data = Data(count: size)
    let readResult: (count: Int, errno: Int32) = data.withUnsafeMutableBytes { raw in
      var total = 0
      while total < size {
        let got = read(fd, raw.baseAddress! + total, size - total)
        if got < 0 {
          if errno == EINTR { continue }
          return (total, errno)
        }
        if got == 0 { break }
        total += got
      }
      return (total, 0)
    }
    if readResult.errno != 0 {
      throw StoreError.posix("read blob", path: blobPath, errno: readResult.errno)
    }
    if readResult.count < size { data.count = readResult.count }
    return data
  }

  public func enumerate() throws(StoreError) -> [BlobEntry] {
    var entries: [BlobEntry] = []
    for shard in try POSIX.list(blobsPath) where shard.utf8.count == 2 {
      let shardPath = "\(blobsPath)/\(shard)"
      for name in try POSIX.list(shardPath) {
        guard let digest = Digest(hex: name), digest.shard == shard else { continue }
        // A blob removed since the listing is simply not listed.
        guard let status = try POSIX.status("\(shardPath)/\(name)"), status.isRegularFile else {
          continue
        }
        entries.append(BlobEntry(digest: digest, bytes: status.bytes, modified: status.modified))
      }
    }
    return entries
  }

  // MARK: Removing

  @discardableResult
  public func remove(_ digest: Digest) throws(StoreError) -> Bool {
    try POSIX.unlinkFile(path(for: digest))
  }

  public func remove(
    _ digest: Digest, ifUnmodifiedSince cutoff: Date
  ) throws(StoreError) -> Bool {
    let blobPath = path(for: digest)
    return try lock.withLock(exclusive: true) { () throws(StoreError) -> Bool in
      guard let status = try POSIX.status(blobPath), status.modified <= cutoff else {
        return false
      }
      return try POSIX.unlinkFile(blobPath)
    }
  }

  public func quarantine(_ digest: Digest) throws(StoreError) -> Bool {
    try POSIX.ensureDirectory(quarantinePath, durable: durable)
    let stamp = Int(Date().timeIntervalSince1970)
    let target = "\(quarantinePath)/\(digest.hex).\(stamp)"
    if rename(path(for: digest), target) == 0 { return true }
    let code = errno
    if code == ENOENT { return false }
    throw StoreError.posix("quarantine blob to", path: target, errno: code)
  }

  /// Number and total bytes of the files in `quarantine/`.
  public func quarantined() throws(StoreError) -> (count: Int, bytes: Int) {
    var count = 0
    var bytes = 0
    for name in try POSIX.list(quarantinePath) {
      guard let status = try POSIX.status("\(quarantinePath)/\(name)") else { continue }
      count += 1
      bytes += status.bytes
    }
    return (count, bytes)
  }

  public func leftovers() throws(StoreError) -> [LeftoverEntry] {
    var entries: [LeftoverEntry] = []
    for name in try POSIX.list(tmpPath) {
      guard let status = try POSIX.status("\(tmpPath)/\(name)"), status.isRegularFile else {
        continue
      }
      entries.append(LeftoverEntry(name: name, bytes: status.bytes, modified: status.modified))
    }
    return entries
  }

  public func removeLeftover(_ leftover: LeftoverEntry) throws(StoreError) {
    // Only plain names listed by leftovers(): never a path that escapes tmp/.
    guard !leftover.name.contains("/"), leftover.name != ".", leftover.name != ".." else {
      return
    }
    _ = try POSIX.unlinkFile("\(tmpPath)/\(leftover.name)")
  }
}
