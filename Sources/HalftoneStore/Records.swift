import Foundation
import GRDB

/// How the last fetch of a URL went.
public enum FetchStatus: String, Sendable, Codable, Hashable {
  case ok
  case failed
}

/// Where an original's bytes came from when it was not its URL's origin: a web archive's capture
/// of that URL (the origin had lost it).
public struct ArchiveProvenance: Sendable, Hashable, Codable {
  /// The archive's replay URL the bytes were fetched from.
  public var archiveURL: String
  /// When the archive captured them.
  public var capturedAt: Date

  public init(archiveURL: String, capturedAt: Date) {
    self.archiveURL = archiveURL
    self.capturedAt = capturedAt
  }

  enum CodingKeys: String, CodingKey {
    case archiveURL = "archive_url"
    case capturedAt = "captured_at"
  }
}

/// A URL whose original bytes are in the cache.
public struct OriginalRecord: Sendable, Hashable, Codable {
  public var url: String
  /// The original's blob (present when this record is returned).
  public var original: Digest
  /// The format sniffed from the bytes, when the caller recorded it.
  public var format: ImageFormat?
  /// HTTP validators, for a conditional re-fetch (`If-None-Match`, `If-Modified-Since`).
  public var etag: String?
  public var lastModified: String?
  /// The Content-Type the origin sent (informational; the format comes from the bytes).
  public var contentType: String?
  public var bytes: Int
  /// Pixel size in display orientation, when known.
  public var width: Int?
  public var height: Int?
  /// When the bytes were fetched, or last confirmed unchanged by the origin.
  public var fetchedAt: Date
  /// `.failed` when a later re-fetch failed: the original here is then the last good one.
  public var lastStatus: FetchStatus
  public var lastErrorKind: ErrorKind?
  public var lastError: String?
  public var lastAttemptAt: Date
  /// Set when the bytes are a web archive's capture (the origin had lost the image); `nil`: from
  /// the origin.
  public var archive: ArchiveProvenance?
}

/// The index's knowledge of a URL, including one that never fetched successfully.
public struct OriginalStatus: Sendable, Hashable, Codable {
  public var url: String
  /// The last good original, when there is one and its blob is still present.
  public var original: Digest?
  public var lastStatus: FetchStatus
  public var lastErrorKind: ErrorKind?
  public var lastError: String?
  public var lastAttemptAt: Date
}

/// A thumbnail: the original it was made from, the canonical spec key that describes it, and its
/// own blob.
public struct ThumbnailRecord: Sendable, Hashable, Codable {
  public var original: Digest
  public var specKey: String
  public var thumbnail: Digest
  public var width: Int
  public var height: Int
  public var format: ImageFormat
  public var bytes: Int
  public var createdAt: Date
}

// Rows are decoded by column position (the SELECTs below list the columns), which is several
// times cheaper than by name and keeps lookups by URL fast.

extension OriginalStatus {
  static let columns = "url, original, last_status, last_error_kind, last_error, last_attempt_at"

  init?(row: Row) {
    guard let status = FetchStatus(rawValue: row[2]) else { return nil }
    url = row[0]
    original = (row[1] as String?).flatMap(Digest.init(hex:))
    lastStatus = status
    lastErrorKind = (row[3] as String?).flatMap(ErrorKind.init(rawValue:))
    lastError = row[4]
    lastAttemptAt = Date(timeIntervalSince1970: row[5])
  }
}

extension OriginalRecord {
  static let columns =
    OriginalStatus.columns
    + ", format, etag, last_modified, content_type, bytes, width, height, fetched_at"
    + ", archive_url, captured_at"

  /// `nil` for a row without a usable original (never fetched, or damaged values).
  init?(row: Row) {
    guard let status = OriginalStatus(row: row), let original = status.original,
      let fetchedAt = row[13] as Double?
    else { return nil }
    url = status.url
    self.original = original
    lastStatus = status.lastStatus
    lastErrorKind = status.lastErrorKind
    lastError = status.lastError
    lastAttemptAt = status.lastAttemptAt
    format = (row[6] as String?).flatMap(ImageFormat.init(rawValue:))
    etag = row[7]
    lastModified = row[8]
    contentType = row[9]
    bytes = row[10] ?? 0
    width = row[11]
    height = row[12]
    self.fetchedAt = Date(timeIntervalSince1970: fetchedAt)
    if let archiveURL = row[14] as String?, let capturedAt = row[15] as Double? {
      archive = ArchiveProvenance(
        archiveURL: archiveURL, capturedAt: Date(timeIntervalSince1970: capturedAt))
    }
  }
}

extension ThumbnailRecord {
  static let columns = "original, spec_key, thumbnail, width, height, format, bytes, created_at"

  init?(row: Row) {
    guard let original = Digest(hex: row[0]),
      let thumbnail = Digest(hex: row[2]),
      let format = ImageFormat(rawValue: row[5])
    else { return nil }
    self.original = original
    specKey = row[1]
    self.thumbnail = thumbnail
    width = row[3]
    height = row[4]
    self.format = format
    bytes = row[6]
    createdAt = Date(timeIntervalSince1970: row[7])
  }
}
