import Foundation
import GRDB
import HalftoneCore

/// The content-addressed cache: immutable blobs named by their SHA-256, and a SQLite index that
/// maps image URLs to originals and (original, spec key) pairs to thumbnails.
///
/// ```
/// <root>/blobs/sha256/ab/<64 hex>   originals and thumbnails, never modified once written
/// <root>/index.sqlite               originals, thumbnails, access times (WAL mode)
/// <root>/tmp/                       staging for blob writes (same filesystem)
/// <root>/quarantine/                blobs whose bytes no longer match their name
/// <root>/lock                       flock(2) file: gc vs. writers, schema migration
/// ```
///
/// Several processes may use one cache at once. Rules that make that safe: a blob is written
/// before any row that names it; a row whose blob is gone reads as a miss, never an error; `gc`
/// and `verify(repair:)` never remove a blob or staging file younger than `options.grace`.
public final class Cache: Sendable {
  /// The cache directory.
  public let root: URL
  /// Where the blobs live.
  public let backend: any BlobBackend
  /// The options the cache was opened with.
  public let options: CacheOptions
  /// `<root>/index.sqlite`.
  public var indexURL: URL { URL(fileURLWithPath: index.path) }

  let index: CacheIndex
  /// Last time this process wrote each digest's access time (see `options.accessResolution`).
  let recentTouches = Locked<[Digest: Date]>([:])

  private init(root: URL, backend: any BlobBackend, index: CacheIndex, options: CacheOptions) {
    self.root = root
    self.backend = backend
    self.index = index
    self.options = options
  }

  /// Opens the cache at `root`, creating `root`, `blobs/`, `tmp/` and `index.sqlite` as needed.
  ///
  /// Throws `.storage` when the directory cannot be created or written (the error names the path
  /// and errno), `.indexCorrupt` when `index.sqlite` is not a SQLite database, `.indexTooNew` when
  /// it was written by a newer halftone.
  public static func open(root: URL, options: CacheOptions = CacheOptions()) throws(StoreError)
    -> Cache
  {
    let rootPath = root.standardizedFileURL.path
    try POSIX.ensureDirectoryTree(rootPath, durable: options.durable)
    let backend: any BlobBackend
    if let custom = options.backend {
      backend = custom
    } else {
      backend = try FileBlobBackend(
        root: URL(fileURLWithPath: rootPath), maxBlobBytes: options.maxBlobBytes,
        durable: options.durable, io: options.fileIO)
    }
    let index = try CacheIndex(
      path: rootPath + "/index.sqlite", busyTimeout: options.busyTimeout,
      lock: FileLock(path: rootPath + "/lock"))
    return Cache(
      root: URL(fileURLWithPath: rootPath), backend: backend, index: index, options: options)
  }

  /// The cache directory to use: `--cache DIR` when given, else `$HALFTONE_CACHE`, else
  /// `./Cache`. Relative paths are resolved against `currentDirectory`.
  public static func defaultRoot(
    option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) -> URL {
    let chosen =
      [option, environment["HALFTONE_CACHE"]].compactMap { $0 }.first { !$0.isEmpty } ?? "Cache"
    let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
    return URL(fileURLWithPath: chosen, relativeTo: base).standardizedFileURL
  }

  /// The cache's clock (`options.clock`): what its rows' times are measured with.
  public var now: Date { options.clock() }

  // MARK: Blobs

  /// Stores `data` and returns its digest. Storing bytes that are already present stores nothing
  /// new (and protects the existing blob from `gc` for the grace period).
  @discardableResult
  public func putBlob(_ data: Data) throws(StoreError) -> Digest {
    let digest = Digest.of(data)
    _ = try backend.put(data, as: digest)
    return digest
  }

  /// A writer for one blob whose bytes arrive in pieces, e.g. a download streamed to the cache
  /// instead of memory (see `BlobWriter`); `commit()` returns its digest.
  public func makeBlobWriter() throws(StoreError) -> any BlobWriter {
    try backend.makeWriter()
  }

  /// Stores several blobs at once (made durable together: much cheaper than one `putBlob` after
  /// another when each must be fsynced). Each has its own result, in order.
  public func putBlobs(_ blobs: [Data]) -> [Result<Digest, StoreError>] {
    let digests = blobs.map { Digest.of($0) }
    let outcomes = backend.putMany(Array(zip(blobs, digests)).map { (data: $0, digest: $1) })
    return zip(digests, outcomes).map { digest, outcome in outcome.map { _ in digest } }
  }

  /// The blob's local file; `nil` when the blob is absent (or the backend has no local files).
  public func blobURL(_ digest: Digest) -> URL? {
    guard let reader = try? backend.open(digest) else { return nil }
    defer { reader.close() }
    return reader.localPath.map { URL(fileURLWithPath: $0) }
  }

  /// Whether the blob is present.
  public func hasBlob(_ digest: Digest) -> Bool { backend.contains(digest) }

  /// Whether the blob is present; a store that cannot answer (a bucket gone) is an error, not
  /// an absence, so nothing is refetched or reported missing because of it.
  func present(_ digest: Digest) throws(StoreError) -> Bool { try backend.info(digest) != nil }

  /// The blob's bytes, or `nil` when absent. With `options.verifyOnRead`, bytes that no longer
  /// match their digest are quarantined and read as `nil`.
  public func readBlob(_ digest: Digest) throws(StoreError) -> Data? {
    guard let data = try backend.get(digest, maxBytes: options.maxBlobBytes) else { return nil }
    if options.verifyOnRead && Digest.of(data) != digest {
      _ = try backend.quarantine(digest)
      return nil
    }
    return data
  }

  /// Reads the blob into `buffer` (reused from read to read, so no allocation); `false` when
  /// absent. With `options.verifyOnRead`, bytes that no longer match their digest are quarantined
  /// and read as absent.
  public func readBlob(_ digest: Digest, into buffer: ReusableBuffer) throws(StoreError) -> Bool {
    // A miss must not leave the previous read's bytes looking like this blob's.
    buffer.setCount(0)
    guard try backend.read(digest, into: buffer, maxBytes: options.maxBlobBytes) else {
      return false
    }
    if options.verifyOnRead && buffer.withContents({ Digest.of($0) }) != digest {
      buffer.setCount(0)
      _ = try backend.quarantine(digest)
      return false
    }
    return true
  }

  /// Re-hashes the blob and quarantines it when its bytes no longer match its name; returns
  /// whether it did. For a caller that found a blob unusable (an original libvips cannot decode):
  /// a damaged blob of the right size would otherwise be reused by every later `putBlob` of the
  /// good bytes, since a write finds the name taken.
  @discardableResult
  public func quarantineIfCorrupt(_ digest: Digest) throws(StoreError) -> Bool {
    guard let data = try backend.get(digest, maxBytes: options.maxBlobBytes),
      Digest.of(data) != digest
    else { return false }
    return try backend.quarantine(digest)
  }

  /// Throws when the index cannot answer a query, or the blob store a lookup (a bucket that
  /// is down): what `/healthz` reports. Asks the store for a blob no one stores, so no cached
  /// answer stands in for the store's own.
  public func checkHealth() throws(StoreError) {
    _ = try index.read { db in
      try Row.fetchOne(db, sql: "SELECT 1 FROM originals WHERE url = ?", arguments: ["halftone:"])
    }
    _ = try backend.info(Self.healthProbe)
  }

  /// A digest no blob has (the SHA-256 of a fixed phrase), for `checkHealth`.
  private static let healthProbe = Digest.of(Data("halftone health probe".utf8))

  // MARK: Sources (URL → original)

  /// Records that `url` served the original `original` (already stored with `putBlob`).
  /// Replaces what was known about the URL and clears any previous failure.
  public func recordOriginal(
    url: String, original: Digest, format: ImageFormat?, bytes: Int,
    contentType: String? = nil, etag: String? = nil, lastModified: String? = nil,
    width: Int? = nil, height: Int? = nil, fetchedAt: Date? = nil,
    archive: ArchiveProvenance? = nil
  ) throws(StoreError) {
    try checkURL(url)
    guard try present(original) else {
      throw StoreError(
        kind: .internal,
        message: "recordOriginal(\(url)): blob \(original.hex) is not in the cache; store it "
          + "with putBlob first")
    }
    let reference = OriginalReference(
      url: url, original: original, format: format, etag: etag, lastModified: lastModified,
      contentType: contentType, bytes: bytes, width: width, height: height,
      fetchedAt: fetchedAt ?? now, archiveURL: archive?.archiveURL,
      capturedAt: archive?.capturedAt)
    try insert(reference)
    // Shared after the blob and the local row: another machine that finds it finds the blob.
    try options.references?.save(reference)
  }

  /// Writes `reference` into the local index (and the original's access time).
  private func insert(_ reference: OriginalReference) throws(StoreError) {
    let time = reference.fetchedAt.timeIntervalSince1970
    try index.write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO originals (url, original, format, etag, last_modified, content_type,
            bytes, width, height, fetched_at, last_attempt_at, last_status, last_error_kind,
            last_error, archive_url, captured_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', NULL, NULL, ?, ?)
          """,
        arguments: [
          reference.url, reference.original.hex, reference.format?.rawValue, reference.etag,
          reference.lastModified, reference.contentType, reference.bytes, reference.width,
          reference.height, time, time, reference.archive?.archiveURL,
          reference.archive?.capturedAt.timeIntervalSince1970,
        ])
      try Self.upsertAccess(db, reference.original, at: time)
    }
  }

  /// The shared reference of `url` whose blob is present, copied into the local index; `nil`
  /// without shared references or when none is found.
  private func readThroughOriginal(_ url: String) throws(StoreError) -> Bool {
    guard let references = options.references, let reference = try references.original(forURL: url),
      reference.url == url, try present(reference.original)
    else { return false }
    try insert(reference)
    return true
  }

  /// The shared failure of `url` (when it has no shared original), copied into the local index
  /// without writing it back.
  private func readThroughFailure(_ url: String) throws(StoreError) -> Bool {
    guard let references = options.references, let failure = try references.failure(forURL: url),
      failure.url == url
    else { return false }
    try insertFailure(
      url: url, kind: failure.errorKind, message: failure.error,
      at: failure.attemptedAt.timeIntervalSince1970)
    return true
  }

  /// Records that the origin confirmed the cached original is still current (HTTP 304).
  /// Returns `false` when the URL has no cached original to confirm.
  @discardableResult
  public func recordNotModified(url: String, at date: Date? = nil) throws(StoreError) -> Bool {
    let time = (date ?? now).timeIntervalSince1970
    return try index.write { db in
      try db.execute(
        sql: """
          UPDATE originals SET fetched_at = ?, last_attempt_at = ?, last_status = 'ok',
            last_error_kind = NULL, last_error = NULL
          WHERE url = ? AND original IS NOT NULL
          """,
        arguments: [time, time, url])
      return db.changesCount > 0
    }
  }

  /// Records a failed fetch of `url`. A previously cached original is kept (and still served);
  /// the failure is remembered for reports and retry decisions.
  public func recordFailure(
    url: String, kind: ErrorKind, message: String, at date: Date? = nil
  ) throws(StoreError) {
    try checkURL(url)
    let time = (date ?? now).timeIntervalSince1970
    let text = Self.truncated(message, toUTF8Bytes: options.maxErrorMessageBytes)
    try insertFailure(url: url, kind: kind, message: text, at: time)
    // Shared, so `lookup` and `/images` on another machine say why the image is missing.
    try options.references?.save(
      FailureReference(
        url: url, errorKind: kind, error: text, attemptedAt: Date(timeIntervalSince1970: time)))
  }

  /// Writes a failed attempt into the local index, keeping any cached original.
  private func insertFailure(
    url: String, kind: ErrorKind, message: String, at time: TimeInterval
  ) throws(StoreError) {
    try index.write { db in
      try db.execute(
        sql: """
          INSERT INTO originals (url, last_attempt_at, last_status, last_error_kind, last_error)
          VALUES (?, ?, 'failed', ?, ?)
          ON CONFLICT(url) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
            last_status = 'failed', last_error_kind = excluded.last_error_kind,
            last_error = excluded.last_error
          """,
        arguments: [url, time, kind.rawValue, message])
    }
  }

  /// The cached original of `url`; `nil` when the URL is unknown, never fetched successfully, or
  /// its blob is gone (a miss, not an error). Does not record an access: call `touch` on a hit
  /// that is served.
  public func original(forURL url: String) throws(StoreError) -> OriginalRecord? {
    func lookUp() throws(StoreError) -> OriginalRecord? {
      try index.lookUp(
        "SELECT \(OriginalRecord.columns) FROM originals WHERE url = ?", [url],
        OriginalRecord.init(row:))
    }
    if let record = try lookUp(), try present(record.original) { return record }
    guard try readThroughOriginal(url) else { return nil }
    return try lookUp()
  }

  /// Everything the index knows about `url`, including failures; `nil` when never seen.
  /// `original` is `nil` when no original is cached (or its blob is gone).
  public func originalStatus(forURL url: String) throws(StoreError) -> OriginalStatus? {
    func lookUp() throws(StoreError) -> OriginalStatus? {
      try index.lookUp(
        "SELECT \(OriginalStatus.columns) FROM originals WHERE url = ?", [url],
        OriginalStatus.init(row:))
    }
    var found = try lookUp()
    if found?.original == nil, try readThroughOriginal(url) { found = try lookUp() }
    if found == nil, try readThroughFailure(url) { found = try lookUp() }
    guard var status = found else { return nil }
    if let original = status.original, try !present(original) { status.original = nil }
    return status
  }

  // MARK: Thumbnails ((original, spec key) → thumbnail)

  /// Records the thumbnail made from `original` for the canonical `specKey`; `thumbnail` must
  /// already be stored with `putBlob`. `format` is the thumbnail's encoding.
  public func recordThumbnail(
    original: Digest, specKey: String, thumbnail: Digest, width: Int, height: Int,
    format: ImageFormat, bytes: Int
  ) throws(StoreError) {
    guard specKey.utf8.count <= 4096 else {
      throw StoreError(
        kind: .invalidSpec,
        message: "spec key is \(specKey.utf8.count) bytes; the cache indexes keys up to 4096")
    }
    guard try present(thumbnail) else {
      throw StoreError(
        kind: .internal,
        message: "recordThumbnail(\(specKey)): blob \(thumbnail.hex) is not in the cache; store "
          + "it with putBlob first")
    }
    let reference = ThumbnailReference(
      original: original, specKey: specKey, thumbnail: thumbnail, width: width, height: height,
      format: format, bytes: bytes, createdAt: now)
    try insert(reference)
    try options.references?.save(reference)
  }

  /// Writes `reference` into the local index (and the thumbnail's access time).
  private func insert(_ reference: ThumbnailReference) throws(StoreError) {
    let time = reference.createdAt.timeIntervalSince1970
    try index.write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO thumbnails (original, spec_key, thumbnail, width, height, format,
            bytes, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          reference.original.hex, reference.specKey, reference.thumbnail.hex, reference.width,
          reference.height, reference.format.rawValue, reference.bytes, time,
        ])
      try Self.upsertAccess(db, reference.thumbnail, at: time)
    }
  }

  /// The thumbnail of `original` for `specKey`; `nil` when unknown or its blob is gone.
  public func thumbnail(original: Digest, specKey: String) throws(StoreError) -> ThumbnailRecord? {
    func lookUp() throws(StoreError) -> ThumbnailRecord? {
      try index.lookUp(
        "SELECT \(ThumbnailRecord.columns) FROM thumbnails WHERE original = ? AND spec_key = ?",
        [original.hex, specKey], ThumbnailRecord.init(row:))
    }
    if let record = try lookUp(), try present(record.thumbnail) { return record }
    guard let references = options.references,
      let reference = try references.thumbnail(original: original, specKey: specKey),
      reference.original == original, reference.specKey == specKey,
      try present(reference.thumbnail)
    else { return nil }
    try insert(reference)
    return try lookUp()
  }

  /// Every thumbnail of `original` whose blob is present, ordered by spec key.
  public func thumbnails(original: Digest) throws(StoreError) -> [ThumbnailRecord] {
    let rows = try index.read { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT \(ThumbnailRecord.columns) FROM thumbnails WHERE original = ? ORDER BY spec_key",
        arguments: [original.hex])
    }
    var found: [ThumbnailRecord] = []
    for record in rows.compactMap(ThumbnailRecord.init(row:)) where try present(record.thumbnail) {
      found.append(record)
    }
    return found
  }

  // MARK: Access times

  /// Records that `digest` was just used, for least-recently-used eviction. Written at most once
  /// per `options.accessResolution` per digest and process.
  public func touch(_ digest: Digest) throws(StoreError) {
    let time = now
    let resolution = options.accessResolution
    let due = recentTouches.withLock { touches -> Bool in
      if let last = touches[digest], time.timeIntervalSince(last) < resolution,
        time >= last
      {
        return false
      }
      // Bound the memory: forgetting everything only costs a few extra writes.
      if touches.count >= 100_000 { touches.removeAll(keepingCapacity: true) }
      touches[digest] = time
      return true
    }
    guard due else { return }
    try index.write { db in try Self.upsertAccess(db, digest, at: time.timeIntervalSince1970) }
  }

  /// The recorded last access of `digest`, if any.
  public func lastAccess(_ digest: Digest) throws(StoreError) -> Date? {
    try index.read { db in
      try Double.fetchOne(
        db, sql: "SELECT last_access FROM access WHERE digest = ?", arguments: [digest.hex])
    }.map(Date.init(timeIntervalSince1970:))
  }

  static func upsertAccess(_ db: Database, _ digest: Digest, at time: Double) throws {
    try db.execute(
      sql: """
        INSERT INTO access (digest, last_access) VALUES (?, ?)
        ON CONFLICT(digest) DO UPDATE SET last_access = max(last_access, excluded.last_access)
        """,
      arguments: [digest.hex, time])
  }

  // MARK: Helpers

  private func checkURL(_ url: String) throws(StoreError) {
    guard !url.isEmpty, url.utf8.count <= options.maxURLBytes else {
      throw StoreError(
        kind: .invalidURL,
        message: url.isEmpty
          ? "empty URL"
          : "URL is \(url.utf8.count) bytes; the cache indexes URLs up to "
            + "\(options.maxURLBytes) (starts \(url.prefix(80)))")
    }
  }

  static func truncated(_ text: String, toUTF8Bytes limit: Int) -> String {
    guard text.utf8.count > limit else { return text }
    var result = ""
    var used = 0
    for character in text {
      let size = character.utf8.count
      if used + size > limit - 3 { break }
      result.append(character)
      used += size
    }
    return result + "..."
  }
}
