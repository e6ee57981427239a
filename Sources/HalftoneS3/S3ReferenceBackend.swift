import Crypto
import Foundation
import HalftoneCore
import HalftoneStore

/// References shared through the bucket, as small JSON objects:
/// `PREFIX/refs/originals/<sha256 of the URL>.json`,
/// `PREFIX/refs/thumbnails/<original>/<sha256 of the spec key>.json` and
/// `PREFIX/refs/failures/<sha256 of the URL>.json` (hashed, so any URL or key
/// makes a short, safe object name; the document repeats the URL or key, checked on read).
///
/// Written with a plain PUT: two machines recording the same reference write the same facts,
/// and the last one wins.
///
/// Requests saved, since every one counts when a run makes millions: a document found missing
/// is taken as missing for `missWindow` (one reference looks its URL up more than once; saving
/// the document ends it), and a thumbnail of an original that `blobs` created moments ago is
/// known missing without asking (no machine had that original before). The cost: a document
/// another machine writes within the window is not seen here until it ends (at worst the same
/// work is done twice, with the same result).
public final class S3ReferenceBackend: ReferenceBackend {
  public let client: S3Client
  /// The blob store beside these references, when it is this process's (see above).
  let blobs: S3BlobBackend?
  /// Largest reference document read (they are a few hundred bytes).
  static let maxDocumentBytes = 64 << 10
  /// How long a document found missing is taken as missing.
  public static let missWindow: TimeInterval = 30
  static let missLimit = 16_384
  /// Documents found missing lately, by key, with when.
  private let misses = Locked([String: Date]())

  public init(client: S3Client, blobs: S3BlobBackend? = nil) {
    self.client = client
    self.blobs = blobs
  }

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
    if blobs?.createdRecently(original) == true { return nil }
    return try load(thumbnailKey(original, specKey), as: ThumbnailReference.self)
  }

  func failureKey(_ url: String) -> String {
    client.location.key("refs/failures/\(Self.hex(url)).json")
  }

  public func failure(forURL url: String) throws(StoreError) -> FailureReference? {
    try load(failureKey(url), as: FailureReference.self)
  }

  public func save(_ failure: FailureReference) throws(StoreError) {
    try store(failure, at: failureKey(failure.url))
  }

  private func recentlyMissing(_ key: String) -> Bool {
    let cutoff = Date().addingTimeInterval(-Self.missWindow)
    return misses.withLock { misses in
      guard let seen = misses[key] else { return false }
      if seen > cutoff { return true }
      misses[key] = nil
      return false
    }
  }

  private func noteMissing(_ key: String) {
    let now = Date()
    misses.withLock { misses in
      if misses.count >= Self.missLimit {
        let cutoff = now.addingTimeInterval(-Self.missWindow)
        misses = misses.filter { $0.value > cutoff }
        if misses.count >= Self.missLimit { misses.removeAll(keepingCapacity: true) }
      }
      misses[key] = now
    }
  }

  public func save(_ thumbnail: ThumbnailReference) throws(StoreError) {
    try store(thumbnail, at: thumbnailKey(thumbnail.original, thumbnail.specKey))
  }

  private func load<T: Decodable>(_ key: String, as type: T.Type) throws(StoreError) -> T? {
    if recentlyMissing(key) { return nil }
    guard let data = try client.get(key) else {
      noteMissing(key)
      return nil
    }
    return try decode(data, at: key, as: type)
  }

  private func decode<T: Decodable>(
    _ data: Data, at key: String, as type: T.Type
  ) throws(StoreError) -> T {
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

  /// Lists `PREFIX/refs/` and reads every document, several at a time.
  public func enumerate() throws(StoreError) -> [SharedReferenceEntry] {
    let objects = try client.list(prefix: client.location.key("refs/"))
    let read = blockingParallelMap(objects, threads: Self.readThreads) { object in
      Result { () throws(StoreError) in try self.entry(object) }
    }
    var entries: [SharedReferenceEntry] = []
    for result in read {
      if let entry = try result.get() { entries.append(entry) }
    }
    return entries
  }

  /// Documents read at once by `enumerate()`.
  static let readThreads = 8

  /// The document at `object`, checked against its name; `nil` when it was removed meanwhile.
  /// A transport error throws (the document may be fine); only a document that was read and is
  /// wrong is `invalid`, which `verify --repair` removes.
  private func entry(_ object: ObjectInfo) throws(StoreError) -> SharedReferenceEntry? {
    let key = object.key
    func invalid(_ reason: String) -> SharedReferenceEntry {
      SharedReferenceEntry(name: key, modified: object.modified, content: .invalid(reason))
    }
    let isOriginal = key.hasPrefix(client.location.key("refs/originals/"))
    let isFailure = key.hasPrefix(client.location.key("refs/failures/"))
    guard isOriginal || isFailure || key.hasPrefix(client.location.key("refs/thumbnails/")) else {
      return invalid("not the name of a reference document")
    }
    guard object.bytes <= Self.maxDocumentBytes else {
      return invalid("\(object.bytes) bytes, over the \(Self.maxDocumentBytes)-byte limit")
    }
    guard let data = try client.get(key) else { return nil }
    let content: SharedReferenceEntry.Content
    do throws(StoreError) {
      if isFailure {
        content = .failure(try decode(data, at: key, as: FailureReference.self))
      } else if isOriginal {
        content = .original(try decode(data, at: key, as: OriginalReference.self))
      } else {
        content = .thumbnail(try decode(data, at: key, as: ThumbnailReference.self))
      }
    } catch {
      return invalid(error.message)
    }
    let expected = documentKey(of: content)
    guard expected == key else {
      return invalid("its content belongs in \(expected.map(client.describe) ?? "no document")")
    }
    return SharedReferenceEntry(name: key, modified: object.modified, content: content)
  }

  /// Where a document with this content is stored.
  private func documentKey(of content: SharedReferenceEntry.Content) -> String? {
    switch content {
    case .original(let reference): originalKey(reference.url)
    case .thumbnail(let reference): thumbnailKey(reference.original, reference.specKey)
    case .failure(let failure): failureKey(failure.url)
    case .invalid: nil
    }
  }

  public func remove(_ entry: SharedReferenceEntry) throws(StoreError) {
    try client.delete(entry.name)
  }

  private func store<T: Encodable>(_ value: T, at key: String) throws(StoreError) {
    let data: Data
    do { data = try HalftoneJSON.encoder().encode(value) } catch {
      throw StoreError(kind: .internal, message: "could not encode reference \(key): \(error)")
    }
    try client.put(
      key, data, checksum: Array(SHA256.hash(data: data)), contentType: "application/json")
    misses.withLock { $0[key] = nil }
  }

  static func hex(_ text: String) -> String { HalftoneStore.Digest.of(Data(text.utf8)).hex }
}
