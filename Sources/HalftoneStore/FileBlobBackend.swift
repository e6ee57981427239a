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
///
/// Writes that happen at the same time (several threads, or one `putMany`) are published as a
/// group (`GroupCommit`): all their temporary files are made durable by one syncfs(2), then
/// linked, then their names made durable by a second syncfs; a group of one uses the two fsyncs
/// above. The ordering is the same, so is the guarantee; the flushes are shared.
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
  /// Durable writes publish through here, so concurrent writers share their barriers.
  private let commits = GroupCommit<StagedBlob, Result<PutOutcome, StoreError>>()
  /// `tmp/`, open for the backend's lifetime: syncfs reports the write-back errors that
  /// happened since the descriptor it is given was opened, so it is given this long-lived one
  /// (a group member's own file may have been opened after another member's pages failed).
  /// -1 when it could not be opened: groups then fsync each file.
  private let barrierDescriptor: Int32

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
    barrierDescriptor = openFile(tmpPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
  }

  deinit {
    if barrierDescriptor >= 0 { close(barrierDescriptor) }
  }

  /// The final path of a blob (whether or not it exists).
  public func path(for digest: Digest) -> String {
    "\(blobsPath)/\(digest.shard)/\(digest.hex)"
  }

  // MARK: Writing

  public func put(_ data: Data, as digest: Digest) throws(StoreError) -> PutOutcome {
    try putMany([(data, digest)])[0].get()
  }

  /// Stores several blobs with one pair of barriers instead of two fsyncs per blob.
  ///
  /// Every blob is written to its temporary file first; then a group (these blobs, and those of
  /// other threads storing at the same time: see `GroupCommit`) is made durable, linked to the
  /// final names, and the names made durable. A group of one uses fsync on the file and on its
  /// shard directory; a larger group uses syncfs(2) once for all the files and once for all the
  /// directories, so the cost of a barrier is shared. Each blob has its own outcome: one
  /// failure (a full disk) does not fail the others unless it fails the barrier they share.
  public func putMany(
    _ blobs: [(data: Data, digest: Digest)]
  ) -> [Result<PutOutcome, StoreError>] {
    var results = [Result<PutOutcome, StoreError>?](repeating: nil, count: blobs.count)
    // At most this many temporary files are open at once, whatever the batch size.
    let window = 64
    var start = 0
    while start < blobs.count {
      let range = start..<min(start + window, blobs.count)
      var staged: [(index: Int, blob: StagedBlob)] = []
      for index in range {
        do {
          if let stagedBlob = try stage(blobs[index].data, as: blobs[index].digest) {
            staged.append((index, stagedBlob))
          } else {
            results[index] = .success(.alreadyPresent)
          }
        } catch {
          results[index] = .failure(error)
        }
      }
      let blobs = staged.map(\.blob)
      let outcomes =
        blobs.isEmpty
        ? [] : durable ? commits.commit(blobs, publish: publishGroup) : publishGroup(blobs)
      for (entry, outcome) in zip(staged, outcomes) { results[entry.index] = outcome }
      start = range.upperBound
    }
    return results.map { $0 ?? .failure(StoreError(kind: .internal, message: "blob not stored")) }
  }

  /// A blob written to its temporary file, not yet durable nor visible under its name.
  struct StagedBlob {
    var tempPath: String
    var finalPath: String
    var shardPath: String
    var bytes: Int
    /// Still open: a group of one syncs the file through it. Closed by `publishGroup`.
    var descriptor: Int32
  }

  /// Writes the temporary file, or returns `nil` when the blob is already present.
  private func stage(_ data: Data, as digest: Digest) throws(StoreError) -> StagedBlob? {
    guard data.count <= maxBlobBytes else {
      throw StoreError(
        kind: .storage,
        message: "refused to store a blob of \(data.count) bytes: the limit is \(maxBlobBytes)")
    }
    let finalPath = path(for: digest)
    if try reuseExisting(at: finalPath, expectedBytes: data.count) { return nil }
    let (tempPath, descriptor) = try writeTemporary(data, named: digest)
    return StagedBlob(
      tempPath: tempPath, finalPath: finalPath, shardPath: "\(blobsPath)/\(digest.shard)",
      bytes: data.count, descriptor: descriptor)
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

  /// Creates and fills the temporary file; returns its path and its still-open descriptor.
  private func writeTemporary(
    _ data: Data, named digest: Digest
  ) throws(StoreError) -> (String, Int32) {
    let (tempPath, fd) = try createTemporary(prefix: String(digest.hex.prefix(16)))
    let failure = data.withUnsafeBytes { raw in writeAll(fd, raw) }
    if let failure {
      close(fd)
      unlink(tempPath)
      throw StoreError.posix("write blob bytes to", path: tempPath, errno: failure)
    }
    return (tempPath, fd)
  }

  /// Creates an empty temporary file in tmp/; returns its path and its open descriptor.
  func createTemporary(prefix: String) throws(StoreError) -> (String, Int32) {
    let name = "\(prefix)-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
    let tempPath = "\(tmpPath)/\(name)"
    var fd = openFile(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    if fd < 0 && errno == ENOENT {
      // Someone removed tmp/ under us: recreate it once.
      try POSIX.ensureDirectory(tmpPath, durable: durable)
      fd = openFile(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    }
    guard fd >= 0 else {
      throw StoreError.posix("create temporary file", path: tempPath, errno: errno)
    }
    return (tempPath, fd)
  }

  /// Publishes a blob written to a temporary file by a `FileBlobWriter`: reused when an identical
  /// blob is present, otherwise made durable and linked like a `put` (grouped with other
  /// writers' blobs). The temporary file is gone afterwards either way.
  func publishStaged(
    tempPath: String, descriptor: Int32, digest: Digest, bytes: Int
  ) throws(StoreError) -> PutOutcome {
    let finalPath = path(for: digest)
    let reused: Bool
    do { reused = try reuseExisting(at: finalPath, expectedBytes: bytes) } catch {
      close(descriptor)
      unlink(tempPath)
      throw error
    }
    if reused {
      close(descriptor)
      unlink(tempPath)
      return .alreadyPresent
    }
    let staged = StagedBlob(
      tempPath: tempPath, finalPath: finalPath, shardPath: "\(blobsPath)/\(digest.shard)",
      bytes: bytes, descriptor: descriptor)
    let outcomes =
      durable ? commits.commit([staged], publish: publishGroup) : publishGroup([staged])
    return try outcomes[0].get()
  }

  public func makeWriter() throws(StoreError) -> any BlobWriter {
    try FileBlobWriter(backend: self)
  }

  /// Writes every byte; returns the errno of a failure, or `nil`.
  func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
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

  /// Makes a group of written temporary files durable, gives each its final name, makes the
  /// names durable, and removes the temporary names. Runs on one thread (the group's leader).
  private func publishGroup(_ group: [StagedBlob]) -> [Result<PutOutcome, StoreError>] {
    defer {
      for blob in group {
        close(blob.descriptor)
        // After a successful link the temporary name is redundant; after a failure it is
        // partial or not durable. Either way it goes.
        unlink(blob.tempPath)
      }
    }
    guard !group.isEmpty else { return [] }
    if durable, let failure = syncContents(of: group) {
      return group.map { _ in .failure(failure) }
    }
    var outcomes = group.map { blob -> Result<PutOutcome, StoreError> in
      do throws(StoreError) {
        return .success(try link(blob))
      } catch {
        return .failure(error)
      }
    }
    if durable, let failure = syncNames(of: group, outcomes: outcomes) {
      // Every success fails, `alreadyPresent` too: the blob that was present may be a member of
      // this very group whose name is not durable.
      outcomes = outcomes.map { outcome in
        if case .success = outcome { return .failure(failure) }
        return outcome
      }
    }
    return outcomes
  }

  /// The data barrier: fsync of the one file, or one syncfs for a group (each file's fsync
  /// where the system has no syncfs).
  private func syncContents(of group: [StagedBlob]) -> StoreError? {
    if group.count > 1 {
      do throws(StoreError) {
        if try syncFileSystem(holding: tmpPath) { return nil }
      } catch {
        return error
      }
    }
    for blob in group {
      let result = io.fsync(blob.descriptor)
      if result != 0 { return StoreError.posix("sync", path: blob.tempPath, errno: -result) }
    }
    return nil
  }

  /// One syncfs through the long-lived descriptor: `true` when done, `false` when syncfs is
  /// missing (ENOSYS) or refused by a sandbox (EPERM, EINVAL, EOPNOTSUPP), in which case the
  /// caller falls back to one fsync per file or directory.
  private func syncFileSystem(holding path: String) throws(StoreError) -> Bool {
    guard barrierDescriptor >= 0 else { return false }
    let result = io.syncFileSystem(barrierDescriptor)
    if result == 0 { return true }
    if [ENOSYS, EPERM, EINVAL, EOPNOTSUPP].contains(-result) { return false }
    throw StoreError.posix("sync the file system holding", path: path, errno: -result)
  }

  /// The name barrier: fsync of each shard directory that received a blob, or one syncfs.
  private func syncNames(
    of group: [StagedBlob], outcomes: [Result<PutOutcome, StoreError>]
  ) -> StoreError? {
    var shards: [String] = []
    for (blob, outcome) in zip(group, outcomes) {
      if case .success(.stored) = outcome, !shards.contains(blob.shardPath) {
        shards.append(blob.shardPath)
      }
    }
    if shards.isEmpty { return nil }
    if shards.count > 1 {
      do throws(StoreError) {
        if try syncFileSystem(holding: blobsPath) { return nil }
      } catch {
        return error
      }
    }
    for shard in shards {
      do throws(StoreError) {
        try POSIX.syncDirectory(shard)
      } catch {
        return error
      }
    }
    return nil
  }

  /// Gives the written temporary file its final name without ever replacing a good blob.
  private func link(_ blob: StagedBlob) throws(StoreError) -> PutOutcome {
    var result = systemLink(blob.tempPath, blob.finalPath)
    if result != 0 && errno == ENOENT {
      guard access(blob.tempPath, F_OK) == 0 else {
        throw StoreError(
          kind: .storage,
          message: "the staging file \(blob.tempPath) was removed before it could be published "
            + "(by gc or verify --repair in another process?); the blob was not stored",
          path: blob.tempPath)
      }
      try POSIX.ensureDirectory(blob.shardPath, durable: durable)
      result = systemLink(blob.tempPath, blob.finalPath)
    }
    if result == 0 { return .stored }
    let code = errno
    switch code {
    case EEXIST:
      // A concurrent writer published the same bytes first, or a damaged blob is in the way.
      if let existing = try POSIX.status(blob.finalPath), existing.bytes == blob.bytes {
        return .alreadyPresent
      }
      try renameReplacing(blob.tempPath, blob.finalPath)
    case EPERM, EOPNOTSUPP, EMLINK:
      // Filesystems without hard links: rename. Equal names mean equal bytes, so replacing a
      // blob a concurrent writer just published is harmless.
      try renameReplacing(blob.tempPath, blob.finalPath)
    default:
      throw StoreError.posix("publish blob", path: blob.finalPath, errno: code)
    }
    return .stored
  }

  private func renameReplacing(_ from: String, _ to: String) throws(StoreError) {
    if rename(from, to) != 0 { throw StoreError.posix("publish blob", path: to, errno: errno) }
  }

  // MARK: Reading

  public func info(_ digest: Digest) throws(StoreError) -> BlobEntry? {
    guard let status = try POSIX.status(path(for: digest)) else { return nil }
    return BlobEntry(digest: digest, bytes: status.bytes, modified: status.modified)
  }

  /// The blob's file, open for `pread`.
  public func open(_ digest: Digest) throws(StoreError) -> (any BlobReader)? {
    try FileBlobReader.open(path(for: digest))
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

  /// The files in `quarantine/`.
  public func quarantined() throws(StoreError) -> ByteTally {
    var tally = ByteTally()
    for name in try POSIX.list(quarantinePath) {
      guard let status = try POSIX.status("\(quarantinePath)/\(name)") else { continue }
      tally.add(status.bytes)
    }
    return tally
  }

  /// Staging files nobody is writing: a `FileBlobWriter` holds a lock on its file for as long as
  /// its download runs (minutes, on a slow origin), so those are not listed.
  public func leftovers() throws(StoreError) -> [LeftoverEntry] {
    var entries: [LeftoverEntry] = []
    for name in try POSIX.list(tmpPath) {
      let path = "\(tmpPath)/\(name)"
      guard let status = try POSIX.status(path), status.isRegularFile, !Self.isBeingWritten(path)
      else { continue }
      entries.append(
        LeftoverEntry(
          name: name, label: "tmp/\(name)", bytes: status.bytes, modified: status.modified))
    }
    return entries
  }

  public func removeLeftover(_ leftover: LeftoverEntry) throws(StoreError) {
    // Only plain names listed by leftovers(): never a path that escapes tmp/.
    guard !leftover.name.contains("/"), leftover.name != ".", leftover.name != ".." else {
      return
    }
    let path = "\(tmpPath)/\(leftover.name)"
    guard !Self.isBeingWritten(path) else { return }
    _ = try POSIX.unlinkFile(path)
  }

  /// Whether a writer holds the staging file's lock (see `FileBlobWriter`).
  static func isBeingWritten(_ path: String) -> Bool {
    let fd = openFile(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK
  }
}

private func systemLink(_ from: String, _ to: String) -> Int32 { link(from, to) }

/// open(2), under a name that `FileBlobBackend.open(_:)` does not shadow.
private func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
  open(path, flags, mode)
}
