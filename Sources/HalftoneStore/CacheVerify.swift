import Foundation
import GRDB

/// What `Cache.verify` found (and, with `repair`, fixed).
public struct VerifyReport: Sendable, Codable, Hashable {
  /// Blobs re-hashed, and their bytes.
  public var checked = ByteTally()
  /// Blobs whose bytes no longer match their name. Always quarantined (moved to `quarantine/`)
  /// and the rows naming them dropped, so they are never served and the next prefetch fetches
  /// them again.
  public var corrupt: [Digest] = []
  /// URLs whose original blob is gone.
  public var danglingURLs: [String] = []
  /// Thumbnail rows whose thumbnail blob is gone.
  public var danglingThumbnails: [ThumbnailKey] = []
  /// Blobs no row names, older than the grace period.
  public var orphans: [Digest] = []
  /// Staging older than the grace period (remains of killed writers), by the backend's name.
  public var leftovers: [String] = []
  /// Where each of `leftovers` is, for people (`tmp/<name>`, a multipart upload of a key).
  public var leftoverLabels: [String] = []
  /// Shared reference documents read (0 without a shared store).
  public var checkedReferences = 0
  /// Shared documents that are not reference documents (`name: reason`); removed by repair
  /// (a prefetch writes a good one again).
  public var invalidReferences: [String] = []
  /// Blobs that could not be read (I/O error, over the size limit), with the error. Never
  /// removed: the cause may be passing.
  public var unreadable: [String] = []
  /// Blobs no row names and staging files, younger than the grace period: probably a writer at
  /// work in another process. Not problems, and never removed.
  public var recentOrphans = 0
  public var recentLeftovers = 0
  /// Whether the dangling rows, orphans and leftovers listed were removed.
  public var repaired = false

  /// Number of problems found (corrupt blobs, dangling rows, old orphans and leftovers).
  public var problemCount: Int {
    corrupt.count + danglingURLs.count + danglingThumbnails.count + orphans.count
      + leftovers.count + unreadable.count + invalidReferences.count
  }

  /// No problems found.
  public var isClean: Bool { problemCount == 0 }

  enum CodingKeys: String, CodingKey {
    case checked, corrupt, orphans, leftovers, unreadable, repaired
    case danglingURLs = "dangling_urls"
    case danglingThumbnails = "dangling_thumbnails"
    case recentOrphans = "recent_orphans"
    case recentLeftovers = "recent_leftovers"
    case checkedReferences = "checked_references"
    case leftoverLabels = "leftover_labels"
    case invalidReferences = "invalid_references"
  }
}

extension Cache {
  /// Re-hashes every blob and cross-checks blobs against index rows.
  ///
  /// Corrupt blobs are quarantined and their rows dropped whether or not `repair` is set: serving
  /// them would be wrong, and quarantine keeps the bytes for inspection. With `repair`, dangling
  /// rows are deleted, and orphan blobs and staging files older than `grace` (default
  /// `options.grace`) are removed; younger ones may belong to a concurrent writer and are left.
  ///
  /// With a shared store, its reference documents count as rows: a blob any machine named is
  /// not an orphan, a document whose blob is gone is dangling (removed by repair, like a row),
  /// and a document that is not a reference is removed by repair.
  public func verify(repair: Bool, grace: TimeInterval? = nil) throws(StoreError) -> VerifyReport {
    let cutoff = now.addingTimeInterval(-(grace ?? options.grace))
    // Rows first, then blobs: a blob written after this snapshot is young, so it can look like
    // an orphan but is protected by the grace period.
    let refs = try loadReferences()
    var report = VerifyReport()
    report.checkedReferences = refs.sharedCount
    for entry in refs.invalidShared {
      guard case .invalid(let reason) = entry.content else { continue }
      report.invalidReferences.append("\(entry.name): \(reason)")
      if repair { try options.references?.remove(entry) }
    }
    var present: [Digest: BlobEntry] = [:]

    for entry in try backend.enumerate() {
      let data: Data
      do {
        guard let bytes = try backend.get(entry.digest, maxBytes: options.maxBlobBytes) else {
          continue
        }  // removed meanwhile
        data = bytes
      } catch {
        report.unreadable.append(error.message)
        continue
      }
      report.checked.add(data.count)
      if Digest.of(data) == entry.digest {
        present[entry.digest] = entry
      } else {
        report.corrupt.append(entry.digest)
        _ = try backend.quarantine(entry.digest)
        try dropRows(naming: entry.digest)
      }
    }
    let corrupt = Set(report.corrupt)

    for (digest, urls) in refs.originals where present[digest] == nil && !corrupt.contains(digest) {
      guard try !self.present(digest) else { continue }
      report.danglingURLs.append(contentsOf: urls)
      if repair {
        try deleteOriginalRows(urls, digest: digest)
        try removeShared(refs.sharedByTarget[digest], target: digest)
      }
    }
    for (thumbnail, keys) in refs.thumbnails
    where present[thumbnail] == nil && !corrupt.contains(thumbnail) {
      guard try !self.present(thumbnail) else { continue }
      report.danglingThumbnails.append(contentsOf: keys)
      if repair {
        try deleteThumbnailRows(keys, thumbnail: thumbnail)
        try removeShared(refs.sharedByTarget[thumbnail], target: thumbnail)
      }
    }

    for (digest, entry) in present where refs.role(of: digest) == .unreferenced {
      guard entry.modified <= cutoff else {
        report.recentOrphans += 1
        continue
      }
      // A writer may have recorded its row since the snapshot: check again before removing.
      if try isReferenced(digest) { continue }
      report.orphans.append(digest)
      if repair {
        _ = try backend.remove(digest, ifUnmodifiedSince: cutoff)
        try index.write { db in
          try db.execute(sql: "DELETE FROM access WHERE digest = ?", arguments: [digest.hex])
        }
      }
    }

    for leftover in try backend.leftovers().sorted(by: { $0.name < $1.name }) {
      guard leftover.modified <= cutoff else {
        report.recentLeftovers += 1
        continue
      }
      report.leftovers.append(leftover.name)
      report.leftoverLabels.append(leftover.label)
      if repair { try backend.removeLeftover(leftover) }
    }

    report.repaired = repair
    report.corrupt.sort()
    report.danglingURLs.sort()
    report.danglingThumbnails.sort { ($0.original, $0.specKey) < ($1.original, $1.specKey) }
    report.orphans.sort()
    report.invalidReferences.sort()
    return report
  }

  /// Removes shared documents naming `target` if its blob is still missing (a writer on another
  /// machine may have stored it again since the listing).
  private func removeShared(
    _ entries: [SharedReferenceEntry]?, target: Digest
  ) throws(StoreError) {
    guard let entries, let shared = options.references, try !present(target) else { return }
    for entry in entries { try shared.remove(entry) }
  }

  /// Drops original rows and thumbnail rows that name a quarantined blob. Variants made from it
  /// stay: their thumbnails are still good, and a re-fetch of the same bytes finds them again.
  private func dropRows(naming digest: Digest) throws(StoreError) {
    try index.write { db in
      try db.execute(sql: "DELETE FROM originals WHERE original = ?", arguments: [digest.hex])
      try db.execute(sql: "DELETE FROM thumbnails WHERE thumbnail = ?", arguments: [digest.hex])
      try db.execute(sql: "DELETE FROM access WHERE digest = ?", arguments: [digest.hex])
    }
  }

  /// Deletes the rows only if they still name `digest` and the blob is still missing (a writer
  /// may have re-stored it since the snapshot).
  private func deleteOriginalRows(_ urls: [String], digest: Digest) throws(StoreError) {
    try index.write { db in
      guard !backend.contains(digest) else { return }
      for url in urls {
        try db.execute(
          sql: "DELETE FROM originals WHERE url = ? AND original = ?", arguments: [url, digest.hex])
      }
    }
  }

  private func deleteThumbnailRows(_ keys: [ThumbnailKey], thumbnail: Digest) throws(StoreError) {
    try index.write { db in
      guard !backend.contains(thumbnail) else { return }
      for key in keys {
        try db.execute(
          sql: "DELETE FROM thumbnails WHERE original = ? AND spec_key = ? AND thumbnail = ?",
          arguments: [key.original.hex, key.specKey, thumbnail.hex])
      }
    }
  }
}
