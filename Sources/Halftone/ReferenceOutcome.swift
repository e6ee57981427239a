import HalftoneCore
import HalftoneRecords
import HalftoneStore

/// What happened to one image reference in a prefetch run: one line of the JSON Lines report.
public struct ReferenceOutcome: Codable, Sendable, Hashable {
  public enum Status: String, Codable, Sendable, Hashable {
    /// The thumbnail is in the cache, made (or revalidated) by this run.
    case ok
    /// Nothing could be stored for this reference; `errorKind` says why.
    case failed
    /// Already complete in the cache from an earlier run: no request was made.
    case skipped
  }

  /// The record file the reference came from.
  public var record: String
  /// The line of the record (or of the image entry) in that file.
  public var line: Int
  /// The image URL as the record wrote it.
  public var url: String
  public var status: Status
  public var errorKind: ErrorKind?
  public var error: String?
  /// The URL actually fetched (the master, or the URL as written after a fallback).
  public var fetchedURL: String?
  /// SHA-256 of the original's bytes.
  public var original: String?
  /// SHA-256 of the thumbnail's bytes.
  public var thumbnail: String?
  public var width: Int?
  public var height: Int?
  public var format: String?
  /// Size of the thumbnail in bytes.
  public var bytes: Int?
  /// The article the image belongs to.
  public var title: String?
  public var sourceUrl: String?
  public var publishedDateTime: String?

  enum CodingKeys: String, CodingKey {
    case record, line, url, status
    case errorKind = "error_kind"
    case error
    case fetchedURL = "fetched_url"
    case original, thumbnail, width, height, format, bytes, title
    case sourceUrl = "source_url"
    case publishedDateTime = "published"
  }
}

/// Totals of a run, printed at the end (and as JSON with `--json`).
public struct PrefetchSummary: Codable, Sendable {
  public var references = 0
  public var ok = 0
  public var failed = 0
  public var skipped = 0
  /// Failures by error kind.
  public var failures: [String: Int] = [:]
  /// Bytes of the thumbnails of the references that ended `ok` or `skipped`.
  public var thumbnailBytes = 0
  /// Wall-clock duration of the run.
  public var seconds = 0.0

  public init() {}

  mutating func add(_ outcome: ReferenceOutcome) {
    references += 1
    thumbnailBytes += outcome.bytes ?? 0
    switch outcome.status {
    case .ok: ok += 1
    case .skipped: skipped += 1
    case .failed:
      failed += 1
      failures[outcome.errorKind?.rawValue ?? ErrorKind.internal.rawValue, default: 0] += 1
    }
  }

  enum CodingKeys: String, CodingKey {
    case references, ok, failed, skipped, failures
    case thumbnailBytes = "thumbnail_bytes"
    case seconds
  }
}

extension ReferenceOutcome {
  init(reference: ImageReference) {
    record = reference.location.file
    line = reference.location.line
    url = reference.url
    status = .failed
    title = reference.title ?? reference.article.title
    sourceUrl = reference.article.sourceURL
    publishedDateTime = reference.article.publishedDateTime
  }

  init(problem: RecordProblem) {
    record = problem.location.file
    line = problem.location.line
    url = ""
    status = .failed
    errorKind = problem.kind
    error = problem.message
  }

  mutating func fill(original: StoredOriginal, variant: VariantRecord) {
    fetchedURL = original.url
    self.original = original.digest.hex
    thumbnail = variant.thumbnail.hex
    width = variant.width
    height = variant.height
    format = variant.format.rawValue
    bytes = variant.bytes
  }

  mutating func fail(_ error: any Error) {
    status = .failed
    if let known = error as? any HalftoneError {
      errorKind = known.kind
      self.error = known.message
    } else {
      errorKind = .internal
      self.error = String(describing: error)
    }
  }
}
