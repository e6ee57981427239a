import Foundation
import GRDB

/// How the last fetch of a URL went.
public enum FetchStatus: String, Sendable, Codable, Hashable {
  case ok
  case failed
}

/// A URL whose original bytes are in the cache.
public struct SourceRecord: Sendable, Hashable, Codable {
  public var url: String
  /// The original's blob (present when this record is returned).
  public var original: Digest
  /// The format sniffed from the bytes, when the caller recorded it.
  public var format: SourceFormat?
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
}

/// The index's knowledge of a URL, including one that never fetched successfully.
public struct SourceStatus: Sendable, Hashable, Codable {
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
public struct VariantRecord: Sendable, Hashable, Codable {
  public var original: Digest
  public var specKey: String
  public var thumbnail: Digest
  public var width: Int
  public var height: Int
  public var format: SourceFormat
  public var bytes: Int
  public var createdAt: Date
}

extension SourceStatus {
  init?(row: Row) {
    guard let status = FetchStatus(rawValue: row["last_status"]) else { return nil }
    url = row["url"]
    original = (row["digest"] as String?).flatMap(Digest.init(hex:))
    lastStatus = status
    lastErrorKind = (row["last_error_kind"] as String?).flatMap(ErrorKind.init(rawValue:))
    lastError = row["last_error"]
    lastAttemptAt = Date(timeIntervalSince1970: row["last_attempt_at"])
  }
}

extension SourceRecord {
  /// `nil` for a row without a usable original (never fetched, or damaged values).
  init?(row: Row) {
    guard let status = SourceStatus(row: row), let original = status.original,
      let fetchedAt = row["fetched_at"] as Double?
    else { return nil }
    url = status.url
    self.original = original
    format = (row["format"] as String?).flatMap(SourceFormat.init(rawValue:))
    etag = row["etag"]
    lastModified = row["last_modified"]
    contentType = row["content_type"]
    bytes = row["bytes"] ?? 0
    width = row["width"]
    height = row["height"]
    self.fetchedAt = Date(timeIntervalSince1970: fetchedAt)
    lastStatus = status.lastStatus
    lastErrorKind = status.lastErrorKind
    lastError = status.lastError
    lastAttemptAt = status.lastAttemptAt
  }
}

extension VariantRecord {
  init?(row: Row) {
    guard let original = Digest(hex: row["original"]),
      let thumbnail = Digest(hex: row["thumbnail"]),
      let format = SourceFormat(rawValue: row["format"])
    else { return nil }
    self.original = original
    specKey = row["spec_key"]
    self.thumbnail = thumbnail
    width = row["width"]
    height = row["height"]
    self.format = format
    bytes = row["bytes"]
    createdAt = Date(timeIntervalSince1970: row["created_at"])
  }
}
