import Foundation
import HalftoneCore
import HalftoneStore

/// Blobs as objects of an S3-compatible bucket: `PREFIX/blobs/sha256/<first 2 hex>/<64 hex>`,
/// corrupt ones moved to `PREFIX/quarantine/sha256/…`.
///
/// Each upload carries the blob's SHA-256 as `x-amz-checksum-sha256`, so the server refuses
/// bytes that do not hash to the name (a corrupted upload is never stored), and `If-None-Match:
/// *`, so a blob another machine stored first is kept (412: already present). Blobs over
/// `multipartThreshold` go up from their staging file in parts of `partBytes`; a failed upload
/// is aborted, and uploads a killed process left behind are listed by `leftovers()` for
/// `verify --repair` to abort.
///
/// Limits of an object store, relative to the file backend's contract:
/// - `remove(_:ifUnmodifiedSince:)` checks the object's age with HEAD and then deletes it: S3
///   has no conditional DELETE, so a `put` landing between the two is lost. `gc` on a shared store
///   relies on its grace period being far longer than that window.
/// - `put` of a present blob refreshes `Last-Modified` with a copy onto itself, one request more.
///
/// A blob this backend stored or refreshed less than `recentWindow` ago is known present without
/// asking (`info`, `open`, and `put` of it again, which then sends nothing): recording a
/// reference right after storing its blob costs no HEAD.
/// Safe because the put made its `Last-Modified` new, and `gc` on a shared store leaves blobs
/// younger than its grace period (a day by default, far longer than the window) alone.
public final class S3BlobBackend: BlobBackend {
  public let client: S3Client
  /// Blobs larger than this are uploaded in parts.
  public let multipartThreshold: Int
  /// Part size of multipart uploads (S3's minimum is 5 MiB).
  public let partBytes: Int
  public let maxBlobBytes: Int
  /// Where writers stage streamed blobs before uploading them (a local directory).
  let stagingPath: String
  /// How long a blob stored here is taken as present without a HEAD.
  public static let recentWindow: TimeInterval = 10 * 60
  /// Blobs stored or refreshed lately (at most `recentLimit`), with their size and when, and
  /// whether this process created them (they were not in the bucket before).
  private let recent = Locked([HalftoneStore.Digest: (entry: BlobEntry, created: Bool)]())
  static let recentLimit = 16_384

  public init(
    client: S3Client, stagingDirectory: URL, maxBlobBytes: Int = 512 << 20,
    multipartThreshold: Int = 16 << 20, partBytes: Int = 8 << 20
  ) throws(StoreError) {
    self.client = client
    self.maxBlobBytes = maxBlobBytes
    self.multipartThreshold = multipartThreshold
    self.partBytes = max(partBytes, 5 << 20)
    stagingPath = stagingDirectory.standardizedFileURL.path
    do {
      try FileManager.default.createDirectory(
        atPath: stagingPath, withIntermediateDirectories: true)
    } catch {
      throw StoreError(
        kind: .storage, message: "could not create staging directory \(stagingPath): \(error)",
        path: stagingPath)
    }
  }

  var location: S3Location { client.location }

  func blobKey(_ digest: Digest) -> String {
    location.key("blobs/sha256/\(digest.shard)/\(digest.hex)")
  }

  func quarantineKey(_ digest: Digest) -> String {
    location.key("quarantine/sha256/\(digest.shard)/\(digest.hex)")
  }

  var blobPrefix: String { location.key("blobs/sha256/") }

  public func put(_ data: Data, as digest: Digest) throws(StoreError) -> PutOutcome {
    guard data.count <= maxBlobBytes else {
      throw StoreError(
        kind: .storage,
        message: "refused to store a blob of \(data.count) bytes: the limit is \(maxBlobBytes)")
    }
    // Stored by this process moments ago (the same thumbnail made from another copy of a
    // photo): present, and its Last-Modified is fresh already. No request.
    if recentlyStored(digest) != nil { return .alreadyPresent }
    let key = blobKey(digest)
    let created = try client.put(key, data, checksum: digest.bytes, createOnly: true)
    if !created {
      try client.copy(key, to: key)  // refreshes Last-Modified: gc's grace protects the reuse
    }
    noteStored(digest, bytes: data.count, created: created)
    return created ? .stored : .alreadyPresent
  }

  /// Remembers that `digest` is in the bucket with a fresh `Last-Modified` (see `recentWindow`).
  func noteStored(_ digest: HalftoneStore.Digest, bytes: Int, created: Bool) {
    let now = Date()
    recent.withLock { recent in
      if recent.count >= Self.recentLimit {
        let cutoff = now.addingTimeInterval(-Self.recentWindow)
        recent = recent.filter { $0.value.entry.modified > cutoff }
        if recent.count >= Self.recentLimit { recent.removeAll(keepingCapacity: true) }
      }
      recent[digest] = (BlobEntry(digest: digest, bytes: bytes, modified: now), created)
    }
  }

  /// The entry of a blob stored here within `recentWindow`, else `nil` (ask the bucket).
  func recentlyStored(_ digest: HalftoneStore.Digest) -> BlobEntry? {
    recentRecord(digest)?.entry
  }

  /// Whether this process put `digest` into the bucket first, within `recentWindow`: nothing
  /// made from it (a thumbnail) can have been shared before, by any machine, except in the same
  /// moments by one that fetched the same bytes (and then both make the same thumbnail).
  public func createdRecently(_ digest: HalftoneStore.Digest) -> Bool {
    recentRecord(digest)?.created ?? false
  }

  private func recentRecord(
    _ digest: HalftoneStore.Digest
  ) -> (entry: BlobEntry, created: Bool)? {
    let cutoff = Date().addingTimeInterval(-Self.recentWindow)
    return recent.withLock { recent in
      guard let record = recent[digest] else { return nil }
      guard record.entry.modified > cutoff else {
        recent[digest] = nil
        return nil
      }
      return record
    }
  }

  private func forget(_ digest: HalftoneStore.Digest) {
    recent.withLock { $0[digest] = nil }
  }

  public func makeWriter() throws(StoreError) -> any BlobWriter {
    try S3BlobWriter(backend: self)
  }

  public func open(_ digest: Digest) throws(StoreError) -> (any BlobReader)? {
    let key = blobKey(digest)
    if let entry = recentlyStored(digest) {
      return S3BlobReader(client: client, key: key, size: entry.bytes)
    }
    guard let info = try client.head(key) else { return nil }
    return S3BlobReader(client: client, key: key, size: info.bytes)
  }

  public func info(_ digest: Digest) throws(StoreError) -> BlobEntry? {
    if let entry = recentlyStored(digest) { return entry }
    guard let info = try client.head(blobKey(digest)) else { return nil }
    return BlobEntry(digest: digest, bytes: info.bytes, modified: info.modified)
  }

  public func enumerate() throws(StoreError) -> [BlobEntry] {
    try client.list(prefix: blobPrefix).compactMap { object in
      guard let name = object.key.split(separator: "/").last,
        let digest = Digest(hex: String(name)), object.key == blobKey(digest)
      else { return nil }
      return BlobEntry(digest: digest, bytes: object.bytes, modified: object.modified)
    }
  }

  public func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) throws(StoreError) -> Bool {
    let key = blobKey(digest)
    guard let info = try client.head(key), info.modified <= cutoff else { return false }
    forget(digest)
    try client.delete(key)
    return true
  }

  public func quarantine(_ digest: Digest) throws(StoreError) -> Bool {
    let key = blobKey(digest)
    forget(digest)
    guard try client.head(key) != nil else { return false }
    try client.copy(key, to: quarantineKey(digest))
    try client.delete(key)
    return true
  }

  public func quarantined() throws(StoreError) -> ByteTally {
    var tally = ByteTally()
    for object in try client.list(prefix: location.key("quarantine/sha256/")) {
      tally.add(object.bytes)
    }
    return tally
  }

  /// Incomplete multipart uploads of blobs; named `upload <upload id> <key>`.
  public func leftovers() throws(StoreError) -> [LeftoverEntry] {
    try client.listMultipartUploads(prefix: blobPrefix).map { upload in
      LeftoverEntry(
        name: "upload \(upload.uploadID) \(upload.key)",
        label: "multipart upload of \(client.describe(upload.key)) begun \(upload.initiated)",
        bytes: 0, modified: upload.initiated)
    }
  }

  public func removeLeftover(_ leftover: LeftoverEntry) throws(StoreError) {
    let parts = leftover.name.split(separator: " ", maxSplits: 2)
    guard parts.count == 3, parts[0] == "upload" else {
      throw StoreError(kind: .internal, message: "not a leftover of this store: \(leftover.name)")
    }
    try client.abortMultipartUpload(String(parts[2]), uploadID: String(parts[1]))
  }
}

extension Digest {
  /// The 32 bytes the hex names.
  var bytes: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(32)
    var iterator = hex.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
      out.append(Self.nibble(high) << 4 | Self.nibble(low))
    }
    return out
  }

  private static func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
}
