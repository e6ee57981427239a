import Crypto
import Foundation
import HalftoneStore

/// References shared through the bucket, as small JSON objects:
/// `PREFIX/refs/originals/<sha256 of the URL>.json` and
/// `PREFIX/refs/thumbnails/<original>/<sha256 of the spec key>.json` (hashed, so any URL or key
/// makes a short, safe object name; the document repeats the URL or key, checked on read).
///
/// Written with a plain PUT: two machines recording the same reference write the same facts,
/// and the last one wins.
public final class S3ReferenceBackend: ReferenceBackend {
  public let client: S3Client
  /// Largest reference document read (they are a few hundred bytes).
  static let maxDocumentBytes = 64 << 10

  public init(client: S3Client) { self.client = client }

  func originalKey(_ url: String) -> String {
    client.location.key("refs/originals/\(Self.hex(url)).json")
  }

  func thumbnailKey(_ original: HalftoneStore.Digest, _ specKey: String) -> String {
    client.location.key("refs/thumbnails/\(original.hex)/\(Self.hex(specKey)).json")
  }

  public func original(forURL url: String) throws(StoreError) -> OriginalReference? {
    try load(originalKey(url), as: OriginalReference.self)
  }

  public func save(_ original: OriginalReference) throws(StoreError) {
    try store(original, at: originalKey(original.url))
  }

  public func thumbnail(
    original: HalftoneStore.Digest, specKey: String
  ) throws(StoreError) -> ThumbnailReference? {
    try load(thumbnailKey(original, specKey), as: ThumbnailReference.self)
  }

  public func save(_ thumbnail: ThumbnailReference) throws(StoreError) {
    try store(thumbnail, at: thumbnailKey(thumbnail.original, thumbnail.specKey))
  }

  private func load<T: Decodable>(_ key: String, as type: T.Type) throws(StoreError) -> T? {
    guard let data = try client.get(key) else { return nil }
    guard data.count <= Self.maxDocumentBytes else {
      throw StoreError(
        kind: .storage,
        message: "reference \(client.describe(key)) is \(data.count) bytes, over the "
          + "\(Self.maxDocumentBytes)-byte limit of a reference document")
    }
    do { return try HalftoneJSON.decoder().decode(T.self, from: data) } catch {
      throw StoreError(
        kind: .storage,
        message: "reference \(client.describe(key)) is not a reference document: \(error)")
    }
  }

  private func store<T: Encodable>(_ value: T, at key: String) throws(StoreError) {
    let data: Data
    do { data = try HalftoneJSON.encoder().encode(value) } catch {
      throw StoreError(kind: .internal, message: "could not encode reference \(key): \(error)")
    }
    try client.put(
      key, data, checksum: Array(SHA256.hash(data: data)), contentType: "application/json")
  }

  static func hex(_ text: String) -> String { HalftoneStore.Digest.of(Data(text.utf8)).hex }
}
