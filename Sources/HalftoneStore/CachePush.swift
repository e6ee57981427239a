import Foundation
import GRDB

/// What `Cache.push(to:references:)` did.
public struct PushReport: Sendable, Codable, Hashable {
  /// Blobs sent, and blobs the target already had (not sent).
  public var uploaded = ByteTally()
  public var present = ByteTally()
  /// Local blobs whose bytes no longer hash to their name: not sent (run `verify`).
  public var corrupt: [Digest] = []
  /// References written, and references the target already had as they are here.
  public var referencesUploaded = 0
  public var referencesPresent = 0

  public init() {}

  enum CodingKeys: String, CodingKey {
    case uploaded, present, corrupt
    case referencesUploaded = "references_uploaded"
    case referencesPresent = "references_present"
  }
}

extension Cache {
  /// Copies every blob of this cache into `target` and every reference (URL → original,
  /// original + spec key → thumbnail) into `references`, skipping what is there already:
  /// idempotent, and resumable after an interruption (a second push sends nothing). A blob goes
  /// up only after its bytes are re-hashed, and a reference only after its blobs are in the
  /// target. `progress` is called after each blob with the report so far.
  public func push(
    to target: any BlobBackend, references: any ReferenceBackend,
    progress: (PushReport) -> Void = { _ in }
  ) throws(StoreError) -> PushReport {
    var report = PushReport()
    var inTarget = Set<Digest>()
    for entry in try backend.enumerate() {
      if try target.info(entry.digest) != nil {
        report.present.add(entry.bytes)
      } else {
        guard let data = try backend.get(entry.digest, maxBytes: options.maxBlobBytes) else {
          continue  // removed meanwhile (gc)
        }
        guard Digest.of(data) == entry.digest else {
          report.corrupt.append(entry.digest)
          continue
        }
        _ = try target.put(data, as: entry.digest)
        report.uploaded.add(data.count)
      }
      inTarget.insert(entry.digest)
      progress(report)
    }
    let (originals, thumbnails) = try index.read { db in
      (
        try Row.fetchAll(
          db,
          sql: "SELECT \(OriginalRecord.columns) FROM originals WHERE original IS NOT NULL"
        ).compactMap(OriginalRecord.init(row:)),
        try Row.fetchAll(db, sql: "SELECT \(ThumbnailRecord.columns) FROM thumbnails")
          .compactMap(ThumbnailRecord.init(row:))
      )
    }
    for record in originals where inTarget.contains(record.original) {
      let reference = OriginalReference(
        url: record.url, original: record.original, format: record.format, etag: record.etag,
        lastModified: record.lastModified, contentType: record.contentType, bytes: record.bytes,
        width: record.width, height: record.height, fetchedAt: record.fetchedAt,
        archiveURL: record.archive?.archiveURL, capturedAt: record.archive?.capturedAt)
      if let shared = try references.original(forURL: record.url),
        Self.sameFacts(shared, reference, \.fetchedAt)
      {
        report.referencesPresent += 1
      } else {
        try references.save(reference)
        report.referencesUploaded += 1
      }
    }
    for record in thumbnails
    where inTarget.contains(record.original) && inTarget.contains(record.thumbnail) {
      let reference = ThumbnailReference(
        original: record.original, specKey: record.specKey, thumbnail: record.thumbnail,
        width: record.width, height: record.height, format: record.format, bytes: record.bytes,
        createdAt: record.createdAt)
      if let shared = try references.thumbnail(original: record.original, specKey: record.specKey),
        Self.sameFacts(shared, reference, \.createdAt)
      {
        report.referencesPresent += 1
      } else {
        try references.save(reference)
        report.referencesUploaded += 1
      }
    }
    return report
  }

  /// Equal but for the time at `time`, which a shared document keeps to the second.
  static func sameFacts<T: Equatable>(_ shared: T, _ local: T, _ time: WritableKeyPath<T, Date>)
    -> Bool
  {
    var aligned = shared
    aligned[keyPath: time] = local[keyPath: time]
    return aligned == local
      && abs(shared[keyPath: time].timeIntervalSince(local[keyPath: time])) < 1
  }
}
