import Foundation
import HalftoneSpec
import HalftoneStore

/// What the cache knows about one image reference: the answer of `GET /images` and of
/// `halftone lookup --json` (one shape for both; `path` only where the cache is local to the
/// caller). Field names are the JSON vocabulary of the README.
public struct ImageDescription: Codable, Sendable, Hashable {
  /// The image URL as asked for.
  public var url: String
  /// The canonical spec key of the reference (its declared size and the URL's parameters).
  public var specKey: String
  /// Every candidate URL in the resolver's order, whether or not the cache knows it.
  public var candidates: [CandidateInfo]
  /// The thumbnail the resolver answers for `spec_key`, and its original; absent when it would
  /// have to make one.
  public var resolved: ResolvedInfo?

  /// Whether the cache holds anything for this reference (an original, or a failure).
  public var isKnown: Bool { candidates.contains { $0.lastStatus != nil } }

  /// The first usable original, in candidate order.
  public var original: OriginalInfo? { candidates.lazy.compactMap(\.usableOriginal).first }

  enum CodingKeys: String, CodingKey {
    case url, candidates, resolved
    case specKey = "spec_key"
  }

  /// Reads it from the index (on the caller's thread: an index reader's).
  static func read(
    from cache: Cache, url: String, candidates: [SourceCandidate], spec: ThumbnailSpec
  ) throws(StoreError) -> ImageDescription {
    var infos: [CandidateInfo] = []
    for candidate in candidates {
      var info = CandidateInfo(url: candidate.url, role: candidate.role)
      if let status = try cache.originalStatus(forURL: candidate.url) {
        info.lastStatus = status.lastStatus.rawValue
        info.lastErrorKind = status.lastErrorKind?.rawValue
        info.lastError = status.lastError
        info.lastAttemptAt = status.lastAttemptAt
      }
      if let original = try cache.original(forURL: candidate.url) {
        info.original = OriginalInfo(original)
        info.usable = try ImagePipeline.usableOriginal(in: cache, url: candidate.url) != nil
        info.thumbnails = try cache.thumbnails(original: original.original).map(ThumbnailInfo.init)
      }
      infos.append(info)
    }
    let resolved = try ImagePipeline.lookUp(
      in: cache, candidates: candidates, keys: [spec.canonicalKey]
    ).flatMap { answer in
      infos.first { $0.url == answer.original.url }?.original.map {
        ResolvedInfo(
          url: answer.original.url, original: $0, thumbnail: ThumbnailInfo(answer.thumbnail))
      }
    }
    return ImageDescription(
      url: url, specKey: spec.canonicalKey, candidates: infos, resolved: resolved)
  }

  /// The same with every blob's local file path filled in (for `lookup`, whose caller has the
  /// cache on its own disk).
  public func withPaths(from cache: Cache) -> ImageDescription {
    func path(_ digest: Digest) -> String? { cache.blobURL(digest)?.path }
    var copy = self
    for index in copy.candidates.indices {
      if let digest = copy.candidates[index].original?.digest {
        copy.candidates[index].original?.path = path(digest)
      }
      for thumbnail in copy.candidates[index].thumbnails.indices {
        copy.candidates[index].thumbnails[thumbnail].path = path(
          copy.candidates[index].thumbnails[thumbnail].digest)
      }
    }
    if let resolved = copy.resolved {
      copy.resolved?.original.path = path(resolved.original.digest)
      copy.resolved?.thumbnail.path = path(resolved.thumbnail.digest)
    }
    return copy
  }
}

/// One candidate URL of a reference (`SourceCandidate`) and what the cache holds under it.
public struct CandidateInfo: Codable, Sendable, Hashable {
  public var url: String
  public var role: SourceCandidate.Role
  /// `ok` or `failed` for the last attempt; absent when the URL was never tried.
  public var lastStatus: String?
  public var lastErrorKind: String?
  public var lastError: String?
  public var lastAttemptAt: Date?
  /// The original stored for the URL (the last good one when the last attempt failed).
  public var original: OriginalInfo?
  /// Whether the resolver uses `original` (not when it was last found undecodable).
  public var usable = false
  /// Every thumbnail made from `original`.
  public var thumbnails: [ThumbnailInfo] = []

  var usableOriginal: OriginalInfo? { usable ? original : nil }

  public init(url: String, role: SourceCandidate.Role) {
    self.url = url
    self.role = role
  }

  enum CodingKeys: String, CodingKey {
    case url, role, original, usable, thumbnails
    case lastStatus = "last_status"
    case lastErrorKind = "last_error_kind"
    case lastError = "last_error"
    case lastAttemptAt = "last_attempt_at"
  }
}

/// The answer the resolver gives: the thumbnail, its original and the URL it is stored under.
public struct ResolvedInfo: Codable, Sendable, Hashable {
  public var url: String
  public var original: OriginalInfo
  public var thumbnail: ThumbnailInfo
}

/// An original blob, as every JSON of Halftone names it.
public struct OriginalInfo: Codable, Sendable, Hashable {
  public var digest: Digest
  /// Where `serve` answers its bytes.
  public var href: String
  /// Its file, when the cache is on the caller's disk (`lookup`); absent over HTTP.
  public var path: String?
  public var url: String?
  public var bytes: Int?
  public var format: String?
  public var width: Int?
  public var height: Int?
  public var contentType: String?
  public var etag: String?
  public var lastModified: String?
  public var fetchedAt: Date?
  /// `origin`, or `archive` when the bytes are a web archive's capture (the origin had lost
  /// them): then `archive_url` is the replay they came from and `captured_at` its date, while
  /// `url` stays the URL asked for.
  public var source: String?
  public var archiveURL: String?
  public var capturedAt: Date?

  public init(digest: Digest, url: String?) {
    self.digest = digest
    href = "/blobs/\(digest.hex)"
    self.url = url
  }

  init(_ record: OriginalRecord) {
    self.init(digest: record.original, url: record.url)
    bytes = record.bytes
    format = record.format?.rawValue
    width = record.width
    height = record.height
    contentType = record.contentType
    etag = record.etag
    lastModified = record.lastModified
    fetchedAt = record.fetchedAt
    setProvenance(record.archive)
  }

  /// `source`, `archive_url` and `captured_at` from where the bytes came from.
  mutating func setProvenance(_ archive: ArchiveProvenance?) {
    source = archive == nil ? "origin" : "archive"
    archiveURL = archive?.archiveURL
    capturedAt = archive?.capturedAt
  }

  enum CodingKeys: String, CodingKey {
    case digest, href, path, url, bytes, format, width, height, etag
    case contentType = "content_type"
    case lastModified = "last_modified"
    case fetchedAt = "fetched_at"
    case source
    case archiveURL = "archive_url"
    case capturedAt = "captured_at"
  }
}

/// A thumbnail blob, as every JSON of Halftone names it.
public struct ThumbnailInfo: Codable, Sendable, Hashable {
  public var digest: Digest
  public var href: String
  /// Its file, when the cache is on the caller's disk (`lookup`); absent over HTTP.
  public var path: String?
  public var specKey: String
  public var width: Int
  public var height: Int
  public var format: String
  public var bytes: Int
  public var createdAt: Date

  public init(_ record: ThumbnailRecord) {
    digest = record.thumbnail
    href = "/blobs/\(record.thumbnail.hex)"
    specKey = record.specKey
    width = record.width
    height = record.height
    format = record.format.rawValue
    bytes = record.bytes
    createdAt = record.createdAt
  }

  enum CodingKeys: String, CodingKey {
    case digest, href, path, width, height, format, bytes
    case specKey = "spec_key"
    case createdAt = "created_at"
  }
}
