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

  enum CodingKeys: String, CodingKey {
    case url, original, format, etag, bytes, width, height
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
