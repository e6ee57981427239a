import Foundation
import GRDB

/// What `Cache.gc` removed.
public struct GCReport: Sendable, Codable, Hashable {
  /// The size limit asked for, in bytes.
  public var maxBytes: Int?
  /// The age limit asked for, in seconds since last use.
  public var maxAge: TimeInterval?
  /// Blob bytes before and after.
  public var bytesBefore = 0
  public var bytesAfter = 0
  public var removedThumbnails = ByteTally()
  public var removedOriginals = ByteTally()
  /// Blobs no row named.
  public var removedUnreferenced = ByteTally()
  /// Staging files older than the grace period (remains of killed writers); not counted in
  /// `bytesBefore`/`bytesAfter`.
  public var removedStaging = ByteTally()
  public var removedOriginalRows = 0
  public var removedThumbnailRows = 0
  /// Documents removed from a shared store's references (0 on a local cache).
  public var removedSharedReferences = 0
  /// Remembered archive misses (`archive_checks`) older than `maxAge`, forgotten.
  public var removedArchiveChecks = 0
  /// Blobs that would have been removed but are younger than the grace period.
  public var protectedByGrace = ByteTally()
  /// Whether the blobs now fit in `maxBytes` (always true without a size limit). False only when
  /// what is left over the limit is protected by the grace period.
  public var withinLimit = true

  /// Bytes freed.
  public var freedBytes: Int { bytesBefore - bytesAfter }

  enum CodingKeys: String, CodingKey {
    case maxBytes = "max_bytes"
    case maxAge = "max_age_seconds"
    case bytesBefore = "bytes_before"
    case bytesAfter = "bytes_after"
    case removedThumbnails = "removed_thumbnails"
    case removedOriginals = "removed_originals"
    case removedUnreferenced = "removed_unreferenced"
    case removedStaging = "removed_staging"
    case removedOriginalRows = "removed_original_rows"
    case removedThumbnailRows = "removed_thumbnail_rows"
    case removedSharedReferences = "removed_shared_references"
    case removedArchiveChecks = "removed_archive_checks"
    case protectedByGrace = "protected_by_grace"
    case withinLimit = "within_limit"
  }
}

extension Cache {
  /// Removes blobs until the cache holds at most `maxBytes` of blobs, and every blob unused for
  /// longer than `maxAge` (and the rows of URLs that failed and were last tried before then),
  /// plus blobs no row names and staging files older than the grace period.
  ///
  /// Order: unreferenced blobs first, then least recently used (last `touch`, record or write)
  /// first; with `thumbnailsFirst` every thumbnail goes before any original, since a thumbnail
  /// is cheap to make again and an original needs a fetch. Removing an original drops its source
  /// rows and its thumbnail rows, and the thumbnails only those rows named.
  ///
  /// Grace rule: a blob written or reused by `putBlob` less than `grace` ago (default
  /// `options.grace`, 10 minutes) is never removed, because a writer in another process may not
  /// have recorded its row yet. The blob's modification time is checked again under the cache's
  /// exclusive lock just before the unlink, and `putBlob` refreshes it under the shared lock, so
  /// a concurrent reuse of the blob is never lost. The limit is therefore hard except for blobs
  /// inside the grace period (reported in `protectedByGrace`, with `withinLimit` false).
  /// Sizes are `st_size` sums; the index file is not counted.
  ///
  /// On a cache with a shared store (`options.references`), see `sharedGC`: only `maxAge`
  /// applies, and a size limit is refused (`invalidArgument`), since one machine cannot decide
  /// what the others still need.
  public func gc(
    maxBytes: Int?, maxAge: TimeInterval? = nil, thumbnailsFirst: Bool = true,
    grace: TimeInterval? = nil
  ) throws(StoreError) -> GCReport {
    if let references = options.references {
      guard maxBytes == nil else {
        throw StoreError(
          kind: .storage,
          message: "a size limit cannot be kept on a shared store (one machine cannot know what "
            + "the others still need): use --max-age, or the bucket's lifecycle rules")
      }
      return try sharedGC(references: references, maxAge: maxAge, grace: grace ?? options.grace)
    }
    let time = now
    let cutoff = time.addingTimeInterval(-(grace ?? options.grace))
    let refs = try loadReferences()
    var run = GCRun(cache: self, refs: refs, cutoff: cutoff)
    for entry in try backend.enumerate() { run.entries[entry.digest] = entry }
    run.total = run.entries.values.reduce(0) { $0 + $1.bytes }
    run.report.maxBytes = maxBytes
    run.report.maxAge = maxAge
    run.report.bytesBefore = run.total

    func lastUsed(_ entry: BlobEntry) -> Date {
      max(refs.access[entry.digest] ?? .distantPast, entry.modified)
    }
    let byLeastRecentUse = run.entries.values.sorted {
      (lastUsed($0), $0.digest) < (lastUsed($1), $1.digest)
    }

    for entry in byLeastRecentUse where refs.role(of: entry.digest) == .unreferenced {
      // A slow writer may have recorded its row since the snapshot.
      if try isReferenced(entry.digest) { continue }
      try run.remove(entry.digest)
    }
    if let maxAge {
      let oldest = time.addingTimeInterval(-maxAge)
      for entry in byLeastRecentUse where lastUsed(entry) < oldest {
        try run.remove(entry.digest)
      }
      // Rows of URLs that never gave an original and were last tried before AGE: otherwise
      // every distinct failing URL would stay in the index for ever.
      run.report.removedOriginalRows += try index.write { db -> Int in
        try db.execute(
          sql: "DELETE FROM originals WHERE original IS NULL AND last_attempt_at < ?",
          arguments: [oldest.timeIntervalSince1970])
        return db.changesCount
      }
      // Likewise the archives' remembered misses: asked again after this, like any new URL.
      run.report.removedArchiveChecks += try index.write { db -> Int in
        try db.execute(
          sql: "DELETE FROM archive_checks WHERE checked_at < ?",
          arguments: [oldest.timeIntervalSince1970])
        return db.changesCount
      }
    }
    if let maxBytes {
      let order =
        thumbnailsFirst
        ? byLeastRecentUse.filter { refs.role(of: $0.digest) == .thumbnail }
          + byLeastRecentUse.filter { refs.role(of: $0.digest) == .original }
        : byLeastRecentUse
      for entry in order where run.total > maxBytes {
        try run.remove(entry.digest)
      }
      run.report.withinLimit = run.total <= maxBytes
    }
    run.report.bytesAfter = run.total
    for leftover in try backend.leftovers() where leftover.modified <= cutoff {
      try backend.removeLeftover(leftover)
      run.report.removedStaging.add(leftover.bytes)
    }
    return run.report
  }
}

/// The state of one gc pass.
private struct GCRun {
  let cache: Cache
  let refs: IndexReferences
  let cutoff: Date
  var entries: [Digest: BlobEntry] = [:]
  var removed: Set<Digest> = []
  var protected: Set<Digest> = []
  var total = 0
  var report = GCReport()

  init(cache: Cache, refs: IndexReferences, cutoff: Date) {
    self.cache = cache
    self.refs = refs
    self.cutoff = cutoff
  }

  /// Removes one blob (if outside the grace period) and the rows that name it.
  mutating func remove(_ digest: Digest) throws(StoreError) {
    guard let entry = entries[digest], !removed.contains(digest), !protected.contains(digest)
    else { return }
    guard entry.modified <= cutoff,
      try cache.backend.remove(digest, ifUnmodifiedSince: cutoff)
    else {
      protected.insert(digest)
      report.protectedByGrace.add(entry.bytes)
      return
    }
    removed.insert(digest)
    total -= entry.bytes
    let role = refs.role(of: digest)
    switch role {
    case .thumbnail: report.removedThumbnails.add(entry.bytes)
    case .original: report.removedOriginals.add(entry.bytes)
    case .unreferenced: report.removedUnreferenced.add(entry.bytes)
    }
    let freedThumbnails = try dropRows(naming: digest, asOriginal: role == .original)
    // Thumbnails that only the dropped thumbnail rows named are garbage now.
    for thumbnail in freedThumbnails where entries[thumbnail] != nil {
      if try !cache.isReferenced(thumbnail) { try remove(thumbnail) }
    }
  }

  /// Drops the rows naming a removed blob; returns the thumbnails of dropped thumbnail rows.
  /// Skipped when a concurrent writer has stored the blob again since (its new rows must stay).
  private mutating func dropRows(
    naming digest: Digest, asOriginal: Bool
  ) throws(StoreError) -> [Digest] {
    let backend = cache.backend
    typealias Dropped = (originalRows: Int, thumbnailRows: Int, thumbnails: [Digest])
    let result = try cache.index.write { db -> Dropped in
      guard !backend.contains(digest) else { return (0, 0, []) }
      try db.execute(sql: "DELETE FROM thumbnails WHERE thumbnail = ?", arguments: [digest.hex])
      var thumbnailRows = db.changesCount
      var originalRows = 0
      var thumbnails: [Digest] = []
      if asOriginal {
        try db.execute(sql: "DELETE FROM originals WHERE original = ?", arguments: [digest.hex])
        originalRows = db.changesCount
        thumbnails = try String.fetchAll(
          db, sql: "SELECT thumbnail FROM thumbnails WHERE original = ?", arguments: [digest.hex]
        ).compactMap(Digest.init(hex:))
        try db.execute(sql: "DELETE FROM thumbnails WHERE original = ?", arguments: [digest.hex])
        thumbnailRows += db.changesCount
      }
      try db.execute(sql: "DELETE FROM access WHERE digest = ?", arguments: [digest.hex])
      return (originalRows, thumbnailRows, thumbnails)
    }
    report.removedOriginalRows += result.originalRows
    report.removedThumbnailRows += result.thumbnailRows
    return result.thumbnails
  }
}
