import Foundation

/// Where references are shared between machines: the mappings URL → original and (original,
/// spec key) → thumbnail, as small documents beside the blobs (an S3 bucket keeps them under
/// `PREFIX/refs/`, as Bazel's remote cache keeps its action cache beside its CAS).
///
/// The local SQLite index stays the first place a lookup goes; it is a cache of these: a miss
/// there reads through (the reference found is copied into the index), and every reference
/// recorded is written through, after the blobs it names. A bucket alone is the whole shared
/// state: no second server.
public protocol ReferenceBackend: Sendable {
  func original(forURL url: String) throws(StoreError) -> OriginalReference?
  func save(_ original: OriginalReference) throws(StoreError)
  func thumbnail(original: Digest, specKey: String) throws(StoreError) -> ThumbnailReference?
  func save(_ thumbnail: ThumbnailReference) throws(StoreError)
  /// The last failure shared for `url`, consulted when no original is known for it.
  func failure(forURL url: String) throws(StoreError) -> FailureReference?
  func save(_ failure: FailureReference) throws(StoreError)
  /// Every reference document, read (for `verify` and `gc`: one listing, then one read each).
  func enumerate() throws(StoreError) -> [SharedReferenceEntry]
  /// Removes one document found by `enumerate()`; removing an absent one is not an error.
  func remove(_ entry: SharedReferenceEntry) throws(StoreError)
}

/// A URL's original, as shared (`refs/originals/<sha256 of the URL>.json`).
public struct OriginalReference: Sendable, Hashable, Codable {
  public var url: String
  public var original: Digest
  public var format: ImageFormat?
  public var etag: String?
  public var lastModified: String?
  public var contentType: String?
  public var bytes: Int
  public var width: Int?
  public var height: Int?
  public var fetchedAt: Date
  /// The web archive's capture the bytes are, when they are not the origin's.
  public var archiveURL: String? = nil
  public var capturedAt: Date? = nil

  /// The provenance, when both of its fields are present.
  var archive: ArchiveProvenance? {
    guard let archiveURL, let capturedAt else { return nil }
    return ArchiveProvenance(archiveURL: archiveURL, capturedAt: capturedAt)
  }

  enum CodingKeys: String, CodingKey {
    case url, original, format, etag, bytes, width, height
    case archiveURL = "archive_url"
    case capturedAt = "captured_at"
    case lastModified = "last_modified"
    case contentType = "content_type"
    case fetchedAt = "fetched_at"
  }
}

/// A thumbnail of an original for a spec key, as shared
/// (`refs/thumbnails/<original>/<sha256 of the spec key>.json`).
public struct ThumbnailReference: Sendable, Hashable, Codable {
  public var original: Digest
  public var specKey: String
  public var thumbnail: Digest
  public var width: Int
  public var height: Int
  public var format: ImageFormat
  public var bytes: Int
  public var createdAt: Date

  enum CodingKeys: String, CodingKey {
    case original, thumbnail, width, height, format, bytes
    case specKey = "spec_key"
    case createdAt = "created_at"
  }
}

/// A URL's last failed fetch, as shared (`refs/failures/<sha256 of the URL>.json`), so that
/// `lookup` and `/images` on every machine say why an image is missing. Superseded by the URL's
/// original document when one is written later.
public struct FailureReference: Sendable, Hashable, Codable {
  public var url: String
  public var errorKind: ErrorKind
  public var error: String
  public var attemptedAt: Date

  public init(url: String, errorKind: ErrorKind, error: String, attemptedAt: Date) {
    self.url = url
    self.errorKind = errorKind
    self.error = error
    self.attemptedAt = attemptedAt
  }

  enum CodingKeys: String, CodingKey {
    case url, error
    case errorKind = "error_kind"
    case attemptedAt = "attempted_at"
  }
}

/// One shared reference as listed for `verify` and `gc`: its name in the store, when it was
/// last written, and the reference (or why its document could not be read).
public struct SharedReferenceEntry: Sendable, Hashable {
  /// The store's name for the document (an object key).
  public var name: String
  /// When the document was last written (by a prefetch, a render or `push`).
  public var modified: Date
  public var content: Content

  public enum Content: Sendable, Hashable {
    case original(OriginalReference)
    case thumbnail(ThumbnailReference)
    case failure(FailureReference)
    /// Not a reference document of this name (not JSON, too large, or naming another URL or
    /// key than its name says), with the reason.
    case invalid(String)
  }

  public init(name: String, modified: Date, content: Content) {
    self.name = name
    self.modified = modified
    self.content = content
  }

  /// The blob the reference maps to (the original of a URL, the thumbnail of a key).
  public var target: Digest? {
    switch content {
    case .original(let reference): reference.original
    case .thumbnail(let reference): reference.thumbnail
    case .failure, .invalid: nil
    }
  }
}
