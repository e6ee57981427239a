import Foundation
import HalftoneArchive
import HalftoneCore
import HalftoneRecords
import HalftoneSpec
import HalftoneStore

/// What happened to one image reference in a prefetch run: one line of the JSON Lines report.
public struct ReferenceOutcome: Codable, Sendable, Hashable {
  /// Decided from what the index held when the run started, so identical input gives identical
  /// statuses however the references of one run interleave.
  public enum Status: String, Codable, Sendable, Hashable {
    /// The thumbnail is in the cache, and this run made it, or fetched or revalidated its
    /// original (every reference to an image that this run fetched is `ok`, not only the first).
    case ok
    /// Nothing could be stored for this reference; `error_kind` says why.
    case failed
    /// Complete in the cache before this run started: no request was made for it.
    case skipped
  }

  /// The record file the reference came from.
  public var record: String
  /// The line of the record (or of the image entry) in that file.
  public var line: Int
  /// The image URL as the record wrote it.
  public var url: String
  /// The URL grammar the reference was read in (`none` when Halftone knows none); absent when the
  /// URL could not be read at all.
  public var dialect: Dialect?
  /// The master the dialect derived from the URL (the first one tried); absent when it is the URL
  /// as written or none is derivable.
  public var masterURL: String?
  /// Parameters of the URL Halftone read differently from the CDN or could not honour, one
  /// sentence each (absent when none).
  public var warnings: [String]?
  public var status: Status
  public var errorKind: ErrorKind?
  public var error: String?
  /// When the archives were asked because the origin lost the image: the origin's failure,
  /// beside the archives' (`error_kind` `not_archived`, `archive_unavailable`, `archive_mismatch`).
  public var originErrorKind: ErrorKind?
  public var originError: String?
  /// The original the thumbnail was made from, and the URL it was fetched from.
  public var original: OriginalInfo?
  /// The thumbnail.
  public var thumbnail: ThumbnailInfo?
  /// The article the image belongs to.
  public var title: String?
  public var sourceURL: String?
  public var published: String?

  enum CodingKeys: String, CodingKey {
    case record, line, url, dialect
    case masterURL = "master_url"
    case warnings, status
    case errorKind = "error_kind"
    case error
    case originErrorKind = "origin_error_kind"
    case originError = "origin_error"
    case original, thumbnail, title
    case sourceURL = "source_url"
    case published
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
  /// With a shared store: requests sent to it, by HTTP method (absent without one).
  public var storeRequests: [String: Int]?

  public init() {}

  mutating func add(_ outcome: ReferenceOutcome) {
    references += 1
    thumbnailBytes += outcome.thumbnail?.bytes ?? 0
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
    case storeRequests = "store_requests"
  }
}

extension ReferenceOutcome {
  init(reference: ImageReference) {
    record = reference.location.file
    line = reference.location.line
    url = reference.url
    status = .failed
    title = reference.title ?? reference.article.title
    sourceURL = reference.article.sourceURL
    published = reference.article.publishedDateTime
  }

  /// A problem's line carries what the entry has: its URL (empty when it has none), title and
  /// article.
  init(problem: RecordProblem) {
    record = problem.location.file
    line = problem.location.line
    url = problem.url ?? ""
    status = .failed
    errorKind = problem.kind
    error = problem.message
    title = problem.title ?? problem.article?.title
    sourceURL = problem.article?.sourceURL
    published = problem.article?.publishedDateTime
  }

  /// Records how the URL was read: its dialect, its master and the warnings.
  mutating func describe(_ spec: ThumbnailSpec) {
    dialect = spec.dialect
    let master = spec.masterURL
    masterURL = master.isEmpty || master == spec.imageURL ? nil : master
    warnings = spec.warnings.isEmpty ? nil : spec.warnings
  }

  mutating func fill(_ resolved: ResolvedThumbnail, runStarted: Date) {
    var original = OriginalInfo(digest: resolved.original.digest, url: resolved.original.url)
    original.fetchedAt = resolved.original.fetchedAt
    original.setProvenance(resolved.original.archive)
    self.original = original
    thumbnail = ThumbnailInfo(resolved.thumbnail)
    let before =
      resolved.thumbnail.createdAt < runStarted && resolved.original.fetchedAt < runStarted
    status = before ? .skipped : .ok
  }

  mutating func fail(_ error: any Error) {
    status = .failed
    if let known = error as? any HalftoneError {
      errorKind = known.kind
      self.error = known.message
      if let origin = (error as? ArchiveError)?.origin {
        originErrorKind = origin.kind
        originError = origin.message
      }
    } else {
      errorKind = .internal
      self.error = String(describing: error)
    }
  }
}
