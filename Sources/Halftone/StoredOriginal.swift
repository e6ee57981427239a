import Foundation
import HalftoneStore

/// An original in the cache (its bytes stay there until a render reads them).
public struct StoredOriginal: Sendable, Hashable {
  /// The URL it is stored under (a candidate of the reference).
  public var url: String
  public var digest: Digest
  /// Which candidate the URL is: the URL as written may already be the CDN's transform.
  public var role: SourceCandidate.Role
  /// When its bytes were fetched, or last confirmed unchanged by the origin.
  public var fetchedAt: Date
  /// The web archive's capture the bytes are, when the origin had lost them.
  public var archive: ArchiveProvenance?

  /// Fetched from the URL as written rather than the master.
  public var asWritten: Bool { role == .asWritten }

  init(
    url: String, digest: Digest, role: SourceCandidate.Role, fetchedAt: Date,
    archive: ArchiveProvenance? = nil
  ) {
    self.url = url
    self.digest = digest
    self.role = role
    self.fetchedAt = fetchedAt
    self.archive = archive
  }

  init(_ record: OriginalRecord, candidate: SourceCandidate) {
    self.init(
      url: record.url, digest: record.original, role: candidate.role, fetchedAt: record.fetchedAt,
      archive: record.archive)
  }

  /// Reads the original's bytes from the cache into `buffer`.
  func read(from cache: Cache, into buffer: ReusableBuffer) throws {
    guard try cache.readBlob(digest, into: buffer) else {
      throw OriginalVanished(
        message: "original \(digest.hex) of \(url) disappeared from the cache (removed by gc?)")
    }
  }
}
