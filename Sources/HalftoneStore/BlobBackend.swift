import Foundation

/// Where immutable blobs live. `FileBlobBackend` keeps them in a directory; an object-storage
/// backend can implement the same protocol later without changing `Cache` or its callers.
///
/// Contract every backend keeps:
/// - A blob is visible under its digest only when all of its bytes are durable: never partially.
/// - `put` of bytes that are already present is a success that refreshes the blob's `modified`
///   time, so a garbage collector's grace period protects a blob a writer has just reused.
/// - `remove(_:ifUnmodifiedSince:)` is atomic with respect to `put` on the same backend, even
///   across processes: a blob that a concurrent `put` refreshed is not removed.
public protocol BlobBackend: Sendable {
  /// Stores `data` under `digest` (the caller computed `digest` from `data`).
  func put(_ data: Data, as digest: Digest) throws(StoreError) -> PutOutcome
  /// Stores several blobs, each with its own outcome, in order. A backend may make them durable
  /// together (one barrier for all) instead of one by one.
  func putMany(_ blobs: [(data: Data, digest: Digest)]) -> [Result<PutOutcome, StoreError>]
  /// The bytes of the blob, or `nil` when there is no such blob.
  func get(_ digest: Digest) throws(StoreError) -> Data?
  /// Reads the blob's bytes into `buffer`; `false` when there is no such blob.
  func read(_ digest: Digest, into buffer: ReusableBuffer) throws(StoreError) -> Bool
  /// A writer for one blob whose bytes arrive in pieces (see `BlobWriter`).
  func makeWriter() throws(StoreError) -> any BlobWriter
  /// Whether the blob is present.
  func contains(_ digest: Digest) -> Bool
  /// Size and modification time of the blob, or `nil` when it is absent.
  func info(_ digest: Digest) throws(StoreError) -> BlobEntry?
  /// Removes the blob unconditionally; `false` when it was already absent.
  @discardableResult func remove(_ digest: Digest) throws(StoreError) -> Bool
  /// Removes the blob only if it was not modified (written or reused by `put`) after `cutoff`;
  /// returns whether it removed it.
  func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) throws(StoreError) -> Bool
  /// Every blob, in no particular order.
  func enumerate() throws(StoreError) -> [BlobEntry]
  /// Moves a blob out of service (corrupt bytes) but keeps it for inspection; `false` when it
  /// was already absent.
  func quarantine(_ digest: Digest) throws(StoreError) -> Bool
  /// Staging files left behind by writers (in flight, or killed mid-write).
  func leftovers() throws(StoreError) -> [LeftoverEntry]
  /// Removes one staging file found by `leftovers()`.
  func removeLeftover(_ leftover: LeftoverEntry) throws(StoreError)
  /// A local file holding the blob's bytes, for zero-copy serving; `nil` when the backend has no
  /// local files.
  func localURL(for digest: Digest) -> URL?
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

  /// Collects the pieces in memory and `put`s them on commit (backends without staging files).
  public func makeWriter() throws(StoreError) -> any BlobWriter {
    BufferingBlobWriter(backend: self, maxBytes: Int.max)
  }

  /// `get`, then a copy into the buffer (backends without local files).
  public func read(_ digest: Digest, into buffer: ReusableBuffer) throws(StoreError) -> Bool {
    guard let data = try get(digest) else { return false }
    let storage = buffer.reserve(data.count)
    data.withUnsafeBytes { raw in
      if let base = raw.baseAddress { storage.copyMemory(from: base, byteCount: raw.count) }
    }
    buffer.setCount(data.count)
    return true
  }

  /// The blob's size in bytes, or `nil` when it is absent.
  public func size(_ digest: Digest) throws(StoreError) -> Int? { try info(digest)?.bytes }
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

/// A staging file (a write in flight, or the remains of a killed one).
public struct LeftoverEntry: Sendable, Hashable {
  /// The file name inside the backend's staging area.
  public var name: String
  public var bytes: Int
  public var modified: Date

  public init(name: String, bytes: Int, modified: Date) {
    self.name = name
    self.bytes = bytes
    self.modified = modified
  }
}
