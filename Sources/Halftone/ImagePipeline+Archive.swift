import Foundation
import HalftoneArchive
import HalftoneCore
import HalftoneFetch
import HalftoneStore

extension ImagePipeline {
  /// The original of a reference every candidate of which is gone from its origin, recovered
  /// from the archives and stored under the candidate URL its capture is of, with its
  /// provenance. An archive that had no capture of any candidate when last asked (within
  /// `archiveRetryAfter`) is not asked again unless `refresh`; one that has none now is
  /// remembered so. Throws `ArchiveError` carrying the origin's failure.
  func recoverFromArchives(
    _ candidates: [SourceCandidate], published: Date?, refresh: Bool, origin: FetchError?
  ) async throws -> StoredOriginal {
    guard let archives else {
      throw PipelineError(kind: .internal, message: "no archives to recover \(candidates) from")
    }
    let cache = self.cache
    let urls = candidates.map(\.url)
    let names = archives.archives
    let oldest = cache.now.addingTimeInterval(-options.archiveRetryAfter)
    let checks = try await readIndex { () throws(StoreError) -> [ArchiveCheck] in
      var fresh: [ArchiveCheck] = []
      for name in names {
        var found: [ArchiveCheck] = []
        for url in urls {
          if let check = try cache.archiveCheck(url: url, archive: name) { found.append(check) }
        }
        if found.count == urls.count, found.allSatisfy({ $0.checkedAt >= oldest }) {
          fresh += found
        }
      }
      return fresh
    }
    let skipping = refresh ? [] : Set(checks.map(\.archive))
    if skipping.count == names.count {
      let when = checks.map(\.checkedAt).max().map { ISO8601DateFormatter().string(from: $0) }
      throw ArchiveError(
        kind: .notArchived,
        message: "no archive had a capture of \(urls.joined(separator: " or ")) when last asked "
          + "(\(when ?? "?")): \(checks.first?.error ?? "")"
          + "; asked again after --archive-retry-after or with --refresh",
        origin: origin)
    }

    let writer = try await runStore { try cache.makeBlobWriter() }
    defer { writer.abandon() }
    let outcome = await archives.recover(
      urls: urls, published: published, skipping: skipping, into: BlobWriterSink(writer))
    switch outcome {
    case .failure(let failure):
      let missing = failure.notArchived
      if !missing.isEmpty {
        // Only a memo to ask the archive less often: an index that cannot take it (a full
        // disk) must not hide the reference's own error.
        try? await runStore {
          for entry in missing {
            try cache.recordNotArchived(url: entry.url, archive: entry.archive, error: entry.why)
          }
        }
      }
      var error = failure.error
      error.origin = origin
      throw error
    case .success(let recovered):
      return try await store(recovered, writer: writer, candidates: candidates)
    }
  }

  private func store(
    _ recovered: ArchiveRecovery.Recovered, writer: any BlobWriter,
    candidates: [SourceCandidate]
  ) async throws -> StoredOriginal {
    let provenance = ArchiveProvenance(
      archiveURL: recovered.archiveURL, capturedAt: recovered.capturedAt)
    let candidate =
      candidates.first { $0.url == recovered.url } ?? candidates.first
      ?? SourceCandidate(url: recovered.url, role: .master)
    var response = recovered.response
    // An archive's validators are the replay's, not the origin's: never sent to the origin.
    response.etag = nil
    response.lastModified = nil
    let stored = try await commitOriginal(
      writer, response, url: candidate.url, archive: provenance)
    return StoredOriginal(
      url: candidate.url, digest: stored.0, role: candidate.role, fetchedAt: stored.1,
      archive: provenance)
  }
}
