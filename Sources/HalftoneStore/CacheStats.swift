import Foundation

/// What the cache holds. Counts and sizes of blobs come from the backend (`st_size` of a file), their roles and
/// formats from the index.
public struct CacheStats: Sendable, Codable, Hashable {
  /// Blobs that are the original of some URL (or of some thumbnail).
  public var originals = ByteTally()
  /// Originals by sniffed format (`unknown` when none was recorded).
  public var originalsByFormat: [String: ByteTally] = [:]
  /// Blobs that are thumbnails (and not originals).
  public var thumbnails = ByteTally()
  /// Thumbnails by encoding.
  public var thumbnailsByFormat: [String: ByteTally] = [:]
  /// Blobs no index row names (a writer in progress, or garbage for `gc`/`verify --repair`).
  public var unreferenced = ByteTally()
  /// Every blob in the backend.
  public var blobs = ByteTally()
  /// URLs with a cached original.
  public var originalURLs = 0
  /// URLs whose last fetch failed (with or without an older cached original).
  public var failedURLs = 0
  /// Thumbnail rows ((original, spec key) → thumbnail).
  public var thumbnailRows = 0
  /// `index.sqlite` with its WAL and shared-memory files.
  public var indexBytes = 0
  /// Staging left by writers (files in `tmp/`).
  public var staging = ByteTally()
  /// Corrupt blobs kept for inspection (files in `quarantine/`).
  public var quarantined = ByteTally()

  enum CodingKeys: String, CodingKey {
    case originals, thumbnails, unreferenced, blobs, staging, quarantined
    case originalsByFormat = "originals_by_format"
    case thumbnailsByFormat = "thumbnails_by_format"
    case originalURLs = "original_urls"
    case failedURLs = "failed_urls"
    case thumbnailRows = "thumbnail_rows"
    case indexBytes = "index_bytes"
  }
}

extension Cache {
  /// Counts and sizes of what the cache holds; lists the backend's blobs once.
  public func stats() throws(StoreError) -> CacheStats {
    let refs = try loadReferences()
    var stats = CacheStats()
    for entry in try backend.enumerate() {
      stats.blobs.add(entry.bytes)
      switch refs.role(of: entry.digest) {
      case .original:
        stats.originals.add(entry.bytes)
        let format = refs.originalFormats[entry.digest] ?? "unknown"
        stats.originalsByFormat[format, default: ByteTally()].add(entry.bytes)
      case .thumbnail:
        stats.thumbnails.add(entry.bytes)
        let format = refs.thumbnailFormats[entry.digest] ?? "unknown"
        stats.thumbnailsByFormat[format, default: ByteTally()].add(entry.bytes)
      case .unreferenced:
        stats.unreferenced.add(entry.bytes)
      }
    }
    stats.originalURLs = refs.originalRows
    stats.failedURLs = refs.failedRows
    stats.thumbnailRows = refs.thumbnailRows
    stats.indexBytes = index.bytesOnDisk()
    for leftover in try backend.leftovers() { stats.staging.add(leftover.bytes) }
    stats.quarantined = try backend.quarantined()
    return stats
  }
}
