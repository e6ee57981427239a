import Foundation

/// A remote backend (a bucket) behind a bounded local copy of the blobs read or written lately,
/// so a node serves and renders from its own disk after the first access.
///
/// Reads: a blob with a local copy is read from it (a file: zero-copy serving); otherwise it is
/// fetched whole from the remote (up to `maxCopyBytes`), re-hashed — bytes that do not hash to
/// their name are refused, never served as that digest — and copied locally. Larger blobs are
/// read from the remote range by range. Writes go to the remote first, then into the copy.
/// Everything else (listing, age, removal, quarantine, staging) is the remote's: the copy is only
/// a cache, least recently used copies evicted past `budget` bytes, and safe to delete.
public final class LocalCopyBlobBackend: BlobBackend {
  public let remote: any BlobBackend
  /// Bytes of copies kept at most.
  public let budget: Int
  /// Larger blobs are not copied (streamed from the remote instead).
  public let maxCopyBytes: Int
  let local: FileBlobBackend
  private let usage = Locked(Usage())

  private struct Usage {
    var entries: [Digest: (bytes: Int, used: UInt64)] = [:]
    var bytes = 0
    var tick: UInt64 = 0
  }

  /// Copies live in `directory` (`blobs/sha256/…` as in a local cache); copies left by an
  /// earlier run count from the start. Copies are not fsynced: losing one costs a download.
  public init(remote: any BlobBackend, directory: URL, budget: Int) throws(StoreError) {
    self.remote = remote
    self.budget = max(0, budget)
    maxCopyBytes = min(64 << 20, self.budget / 4)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw StoreError(
        kind: .storage, message: "could not create \(directory.path): \(error)",
        path: directory.path)
    }
    local = try FileBlobBackend(root: directory, durable: false)
    let existing = try local.enumerate().sorted { $0.modified < $1.modified }
    usage.withLock { usage in
      for entry in existing {
        usage.tick += 1
        usage.entries[entry.digest] = (entry.bytes, usage.tick)
        usage.bytes += entry.bytes
      }
    }
    try evict()
  }

  public func put(_ data: Data, as digest: Digest) throws(StoreError) -> PutOutcome {
    let outcome = try remote.put(data, as: digest)
    try keepCopy(data, as: digest)
    return outcome
  }

  public func makeWriter() throws(StoreError) -> any BlobWriter {
    CopyingBlobWriter(remote: try remote.makeWriter(), backend: self)
  }

  public func open(_ digest: Digest) throws(StoreError) -> (any BlobReader)? {
    if let copy = try local.open(digest) {
      touch(digest)
      return copy
    }
    guard let reader = try remote.open(digest) else { return nil }
    guard reader.size <= maxCopyBytes else { return reader }
    defer { reader.close() }
    var data = Data(count: reader.size)
    let read = data.withUnsafeMutableBytes { raw in
      Result { () throws(StoreError) in try reader.readFully(at: 0, into: raw) }
    }
    let count = try read.get()
    guard count == data.count, Digest.of(data) == digest else {
      throw StoreError(
        kind: .storage,
        message: "blob \(digest.hex) in the store does not hash to its name (damaged there); "
          + "it is not served: run `halftone verify` on the store")
    }
    try keepCopy(data, as: digest)
    if let copy = try local.open(digest) { return copy }
    return try remote.open(digest)  // the copy could not be kept (a full disk)
  }

  public func info(_ digest: Digest) throws(StoreError) -> BlobEntry? { try remote.info(digest) }
  public func enumerate() throws(StoreError) -> [BlobEntry] { try remote.enumerate() }

  public func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) throws(StoreError) -> Bool {
    let removed = try remote.remove(digest, ifUnmodifiedSince: cutoff)
    if removed { dropCopy(digest) }
    return removed
  }

  public func quarantine(_ digest: Digest) throws(StoreError) -> Bool {
    dropCopy(digest)
    return try remote.quarantine(digest)
  }

  public func quarantined() throws(StoreError) -> ByteTally { try remote.quarantined() }
  public func leftovers() throws(StoreError) -> [LeftoverEntry] { try remote.leftovers() }
  public func removeLeftover(_ leftover: LeftoverEntry) throws(StoreError) {
    try remote.removeLeftover(leftover)
  }

  /// Bytes of local copies now.
  public var copiedBytes: Int { usage.withLock { $0.bytes } }

  // MARK: The copy

  func keepCopy(_ data: Data, as digest: Digest) throws(StoreError) {
    guard data.count <= maxCopyBytes else { return }
    _ = try local.put(data, as: digest)
    record(digest, bytes: data.count)
  }

  func record(_ digest: Digest, bytes: Int) {
    usage.withLock { usage in
      usage.tick += 1
      if let old = usage.entries.updateValue((bytes, usage.tick), forKey: digest) {
        usage.bytes -= old.bytes
      }
      usage.bytes += bytes
    }
    try? evict()
  }

  private func touch(_ digest: Digest) {
    usage.withLock { usage in
      usage.tick += 1
      usage.entries[digest]?.used = usage.tick
    }
  }

  private func dropCopy(_ digest: Digest) {
    _ = try? local.remove(digest, ifUnmodifiedSince: .distantFuture)
    usage.withLock { usage in
      if let old = usage.entries.removeValue(forKey: digest) { usage.bytes -= old.bytes }
    }
  }

  /// Removes least recently used copies until they fit in 90 % of the budget (a margin, so the
  /// next few copies do not each trigger a pass).
  private func evict() throws(StoreError) {
    let victims: [Digest] = usage.withLock { usage in
      guard usage.bytes > budget else { return [] }
      var chosen: [Digest] = []
      let target = budget / 10 * 9
      for (digest, entry) in usage.entries.sorted(by: { $0.value.used < $1.value.used }) {
        guard usage.bytes > target else { break }
        usage.entries[digest] = nil
        usage.bytes -= entry.bytes
        chosen.append(digest)
      }
      return chosen
    }
    for digest in victims { _ = try local.remove(digest, ifUnmodifiedSince: .distantFuture) }
  }
}

/// The remote's writer, with the bytes also streamed into a local copy (a streamed original is
/// rendered right after it is stored: from the copy, not downloaded again). A local failure
/// (a full disk) only drops the copy.
final class CopyingBlobWriter: BlobWriter, @unchecked Sendable {
  private let remote: any BlobWriter
  private let backend: LocalCopyBlobBackend
  private var copy: (any BlobWriter)?

  init(remote: any BlobWriter, backend: LocalCopyBlobBackend) {
    self.remote = remote
    self.backend = backend
    copy = try? backend.local.makeWriter()
  }

  deinit { copy?.abandon() }

  var byteCount: Int { remote.byteCount }

  func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
    try remote.write(bytes)
    guard let copy else { return }
    do throws(StoreError) {
      guard copy.byteCount + bytes.count <= backend.maxCopyBytes else {
        throw StoreError(kind: .storage, message: "too large to copy")
      }
      try copy.write(bytes)
    } catch {
      copy.abandon()  // served from the remote instead
      self.copy = nil
    }
  }

  func restart() throws(StoreError) {
    try remote.restart()
    copy?.abandon()
    copy = try? backend.local.makeWriter()
  }

  func commit() throws(StoreError) -> Digest {
    let digest: Digest
    do { digest = try remote.commit() } catch {
      copy?.abandon()
      copy = nil
      throw error
    }
    if let copy, let copied = try? copy.commit() {
      if copied == digest {
        backend.record(digest, bytes: remote.byteCount)
      } else {
        _ = try? backend.local.remove(copied, ifUnmodifiedSince: .distantFuture)
      }
    }
    copy = nil
    return digest
  }

  func abandon() {
    remote.abandon()
    copy?.abandon()
    copy = nil
  }
}
