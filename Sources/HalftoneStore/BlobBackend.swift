import Foundation

/// Where immutable blobs live: the seam between the cache and its storage. `FileBlobBackend`
/// keeps them in a directory; an object store (an S3 bucket) implements the same requirements.
/// Nothing above this protocol knows which backend it talks to.
///
/// Contract every backend keeps:
/// - A blob is visible under its digest only when all of its bytes are durable: never partially.
/// - `put` of bytes that are already present is a success that refreshes the blob's `modified`
///   time, so a garbage collector's grace period protects a blob a writer has just reused.
/// - `remove(_:ifUnmodifiedSince:)` is atomic with respect to `put` on the same backend, even
///   across processes: a blob that a concurrent `put` refreshed is not removed.
///
/// Staging (writes in flight) and quarantine (corrupt blobs kept for inspection) are the
/// backend's own: a directory keeps them as files, an object store as incomplete multipart
/// uploads and a key prefix. The cache only lists and clears them.
public protocol BlobBackend: Sendable {
  /// Stores `data` under `digest` (the caller computed `digest` from `data`).
  func put(_ data: Data, as digest: Digest) throws(StoreError) -> PutOutcome
  /// Stores several blobs, each with its own outcome, in order. A backend may make them durable
  /// together (one barrier for all) instead of one by one.
  func putMany(_ blobs: [(data: Data, digest: Digest)]) -> [Result<PutOutcome, StoreError>]
  /// A writer for one blob whose bytes arrive in pieces (see `BlobWriter`).
  func makeWriter() throws(StoreError) -> any BlobWriter
  /// The blob opened for reading (its size, and its bytes at any offset), or `nil` when there
  /// is no such blob. Serving, thumbnailing and verifying all read through this.
  func open(_ digest: Digest) throws(StoreError) -> (any BlobReader)?
  /// Size and modification time of the blob, or `nil` when it is absent.
  func info(_ digest: Digest) throws(StoreError) -> BlobEntry?
  /// Every blob, in no particular order.
  func enumerate() throws(StoreError) -> [BlobEntry]
  /// Removes the blob only if it was not modified (written or reused by `put`) after `cutoff`;
  /// returns whether it removed it.
  func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) throws(StoreError) -> Bool
  /// Moves a blob out of service (corrupt bytes) but keeps it for inspection; `false` when it
  /// was already absent.
  func quarantine(_ digest: Digest) throws(StoreError) -> Bool
  /// How many blobs `quarantine` has kept, and their bytes.
  func quarantined() throws(StoreError) -> ByteTally
  /// Staging left behind by writers that are no longer writing (killed mid-write).
  func leftovers() throws(StoreError) -> [LeftoverEntry]
  /// Removes one piece of staging found by `leftovers()`.
  func removeLeftover(_ leftover: LeftoverEntry) throws(StoreError)
}

extension BlobBackend {
  /// One `put` after another.
  public func putMany(
    _ blobs: [(data: Data, digest: Digest)]
  ) -> [Result<PutOutcome, StoreError>] {
    blobs.map { blob in
      do throws(StoreError) {
        return .success(try put(blob.data, as: blob.digest))
      } catch {
        return .failure(error)
      }
    }
  }

  /// Collects the pieces in memory and `put`s them on commit (backends without staging).
  public func makeWriter() throws(StoreError) -> any BlobWriter {
    BufferingBlobWriter(backend: self, maxBytes: Int.max)
  }

  /// Nothing kept (backends that delete corrupt blobs instead).
  public func quarantined() throws(StoreError) -> ByteTally { ByteTally() }

  /// No staging (backends whose writes are atomic).
  public func leftovers() throws(StoreError) -> [LeftoverEntry] { [] }

  public func removeLeftover(_ leftover: LeftoverEntry) throws(StoreError) {}

  /// Whether the blob is present (an unreadable one counts as absent).
  public func contains(_ digest: Digest) -> Bool { (try? info(digest)) != nil }

  /// The blob's size in bytes, or `nil` when it is absent.
  public func size(_ digest: Digest) throws(StoreError) -> Int? { try info(digest)?.bytes }

  /// Removes the blob whatever its age; `false` when it was already absent.
  @discardableResult
  public func remove(_ digest: Digest) throws(StoreError) -> Bool {
    try remove(digest, ifUnmodifiedSince: .distantFuture)
  }

  /// All the blob's bytes, or `nil` when absent; refused (`storage`) above `maxBytes`.
  public func get(_ digest: Digest, maxBytes: Int) throws(StoreError) -> Data? {
    guard let reader = try open(digest) else { return nil }
    defer { reader.close() }
    try reader.checkSize(digest, limit: maxBytes)
    // Not `Data(count:)`: zero-filling memory that the read overwrites at once costs a pass.
    let storage = UnsafeMutableRawPointer.allocate(byteCount: max(reader.size, 1), alignment: 16)
    let count: Int
    do {
      count = try reader.readFully(
        at: 0, into: UnsafeMutableRawBufferPointer(start: storage, count: reader.size))
    } catch {
      storage.deallocate()
      throw error
    }
    return Data(
      bytesNoCopy: storage, count: count,
      deallocator: .custom { base, _ in
        base.deallocate()
      })
  }

  /// Reads all the blob's bytes into `buffer` (no allocation once it is large enough); `false`
  /// when absent. Refused (`storage`) above `maxBytes`.
  public func read(
    _ digest: Digest, into buffer: ReusableBuffer, maxBytes: Int
  ) throws(StoreError) -> Bool {
    guard let reader = try open(digest) else { return false }
    defer { reader.close() }
    try reader.checkSize(digest, limit: maxBytes)
    let storage = buffer.reserve(reader.size)
    let count = try reader.readFully(
      at: 0, into: UnsafeMutableRawBufferPointer(start: storage, count: reader.size))
    buffer.setCount(count)
    return true
  }
}

/// What `put` did.
public enum PutOutcome: Sendable, Hashable {
  /// The bytes were written.
  case stored
  /// A blob with this digest was already present (its modification time was refreshed).
  case alreadyPresent
}

/// One stored blob as listed by a backend.
public struct BlobEntry: Sendable, Hashable {
  public var digest: Digest
  /// Size in bytes (`st_size`, not the allocated size).
  public var bytes: Int
  /// When the blob was written, or last reused by `put`.
  public var modified: Date

  public init(digest: Digest, bytes: Int, modified: Date) {
    self.digest = digest
    self.bytes = bytes
    self.modified = modified
  }
}

/// Staging left by a writer (a write in flight, or the remains of a killed one).
public struct LeftoverEntry: Sendable, Hashable {
  /// The backend's name for it (a file name inside its staging area).
  public var name: String
  /// Where a user finds it (`tmp/<name>`, a multipart upload of a key).
  public var label: String
  public var bytes: Int
  public var modified: Date

  public init(name: String, label: String? = nil, bytes: Int, modified: Date) {
    self.name = name
    self.label = label ?? name
    self.bytes = bytes
    self.modified = modified
  }
}
