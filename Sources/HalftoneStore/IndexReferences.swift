import Foundation
import GRDB

/// A count of blobs and their total size.
public struct ByteTally: Sendable, Codable, Hashable {
  public var count: Int
  public var bytes: Int

  public init(count: Int = 0, bytes: Int = 0) {
    self.count = count
    self.bytes = bytes
  }

  public mutating func add(_ bytes: Int) {
    count += 1
    self.bytes += bytes
  }
}

/// Identifies one thumbnail row.
public struct ThumbnailKey: Sendable, Codable, Hashable {
  public var original: Digest
  public var specKey: String

  public init(original: Digest, specKey: String) {
    self.original = original
    self.specKey = specKey
  }

  enum CodingKeys: String, CodingKey {
    case original
    case specKey = "spec_key"
  }
}

/// What a blob is to the index.
enum BlobRole: Int, Comparable {
  /// Named by a thumbnail row only.
  case thumbnail = 0
  /// Named by a original row (or as the original of a thumbnail row).
  case original = 1
  /// Named by no row.
  case unreferenced = 2

  static func < (lhs: BlobRole, rhs: BlobRole) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Every digest the index names, read in one snapshot, for verify, gc and stats.
struct IndexReferences {
  /// Original digest → URLs that map to it.
  var originals: [Digest: [String]] = [:]
  /// Original digest → recorded format.
  var originalFormats: [Digest: String] = [:]
  /// Thumbnail digest → thumbnail rows that name it.
  var thumbnails: [Digest: [ThumbnailKey]] = [:]
  /// Thumbnail digest → recorded format.
  var thumbnailFormats: [Digest: String] = [:]
  /// Digests named as the original of some thumbnail row.
  var thumbnailOriginals: Set<Digest> = []
  var access: [Digest: Date] = [:]
  var originalRows = 0
  var failedRows = 0
  var thumbnailRows = 0
  /// Shared reference documents merged in, by the blob each names.
  var sharedByTarget: [Digest: [SharedReferenceEntry]] = [:]
  /// Shared documents that are not references (see `SharedReferenceEntry.Content.invalid`).
  var invalidShared: [SharedReferenceEntry] = []
  /// Shared documents merged in.
  var sharedCount = 0

  func role(of digest: Digest) -> BlobRole {
    if originals[digest] != nil || thumbnailOriginals.contains(digest) { return .original }
    if thumbnails[digest] != nil { return .thumbnail }
    return .unreferenced
  }

  static func load(_ db: Database) throws -> IndexReferences {
    var refs = IndexReferences()
    let originalRows = try Row.fetchCursor(
      db, sql: "SELECT url, original, format, last_status FROM originals")
    while let row = try originalRows.next() {
      if (row["last_status"] as String) == FetchStatus.failed.rawValue { refs.failedRows += 1 }
      guard let digest = (row["original"] as String?).flatMap(Digest.init(hex:)) else { continue }
      refs.originalRows += 1
      refs.originals[digest, default: []].append(row["url"])
      if let format = row["format"] as String? { refs.originalFormats[digest] = format }
    }
    let thumbnailRows = try Row.fetchCursor(
      db, sql: "SELECT original, spec_key, thumbnail, format FROM thumbnails")
    while let row = try thumbnailRows.next() {
      guard let original = Digest(hex: row["original"]),
        let thumbnail = Digest(hex: row["thumbnail"])
      else { continue }
      refs.thumbnailRows += 1
      refs.thumbnailOriginals.insert(original)
      refs.thumbnails[thumbnail, default: []].append(
        ThumbnailKey(original: original, specKey: row["spec_key"]))
      refs.thumbnailFormats[thumbnail] = row["format"]
    }
    let accessRows = try Row.fetchCursor(db, sql: "SELECT digest, last_access FROM access")
    while let row = try accessRows.next() {
      guard let digest = Digest(hex: row["digest"]) else { continue }
      refs.access[digest] = Date(timeIntervalSince1970: row["last_access"])
    }
    return refs
  }

  /// Adds the references a shared store holds, so that a blob only another machine named is
  /// not taken for garbage. A URL or thumbnail row the local index has already is counted once.
  mutating func merge(_ shared: [SharedReferenceEntry]) {
    for entry in shared {
      sharedCount += 1
      switch entry.content {
      case .original(let reference):
        if !(originals[reference.original]?.contains(reference.url) ?? false) {
          originals[reference.original, default: []].append(reference.url)
          originalRows += 1
        }
        if let format = reference.format { originalFormats[reference.original] = format.rawValue }
        sharedByTarget[reference.original, default: []].append(entry)
      case .thumbnail(let reference):
        let key = ThumbnailKey(original: reference.original, specKey: reference.specKey)
        if !(thumbnails[reference.thumbnail]?.contains(key) ?? false) {
          thumbnails[reference.thumbnail, default: []].append(key)
          thumbnailRows += 1
        }
        thumbnailOriginals.insert(reference.original)
        thumbnailFormats[reference.thumbnail] = reference.format.rawValue
        sharedByTarget[reference.thumbnail, default: []].append(entry)
      case .failure:
        continue  // names no blob
      case .invalid:
        invalidShared.append(entry)
      }
    }
  }
}

extension Cache {
  /// Every reference: the local index's rows, then the shared store's documents (when the
  /// cache has one: one listing and one read per document).
  func loadReferences() throws(StoreError) -> IndexReferences {
    var refs = try index.read { db in try IndexReferences.load(db) }
    if let shared = options.references { refs.merge(try shared.enumerate()) }
    return refs
  }

  /// Whether any row names `digest`, checked now (not from a snapshot).
  func isReferenced(_ digest: Digest) throws(StoreError) -> Bool {
    try index.read { db in
      try Bool.fetchOne(
        db,
        sql: """
          SELECT EXISTS (SELECT 1 FROM originals WHERE original = ?1)
            OR EXISTS (SELECT 1 FROM thumbnails WHERE thumbnail = ?1)
            OR EXISTS (SELECT 1 FROM thumbnails WHERE original = ?1)
          """,
        arguments: [digest.hex]) ?? false
    }
  }
}
