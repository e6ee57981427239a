import Foundation
import HalftoneArchive
import HalftoneCore
import HalftoneFetch
import HalftoneSpec
import HalftoneStore

extension ImagePipeline {
  /// The original of `spec`: from the cache when present (revalidated with `refresh`), else
  /// fetched from the candidates in order, going on to the next when one is gone (4xx, no such
  /// host, no connection, a body that is no image); when every one tried is gone for good
  /// (`ArchiveRecovery.isGone`), recovered from the archives, if any are configured.
  func obtainOriginal(
    _ spec: ThumbnailSpec, refresh: Bool, published: Date?
  ) async throws -> StoredOriginal {
    let candidates = candidates(for: spec)
    var failures: [FetchError] = []
    if options.archiveOnly, archives != nil {
      if let cached = try await cachedOriginal(candidates) { return cached }
    } else {
      for candidate in candidates {
        do {
          // One fetch per URL however many references share it: later callers wait for the
          // first and then find it in the index.
          var original = try await originals.run(candidate.url) {
            try await self.loadOrFetch(candidate, refresh: refresh)
          }
          original.role = candidate.role
          return original
        } catch let error as FetchError {
          failures.append(error)
          let missing = error.kind == .httpStatus && (400..<500).contains(error.httpStatus ?? 0)
          // Without archives the rule is as it always was: on to the next candidate on a 4xx.
          if !missing, archives == nil || !ArchiveRecovery.isGone(error) { throw error }
        }
      }
    }
    guard archives != nil, failures.allSatisfy(ArchiveRecovery.isGone) else {
      if let last = failures.last { throw last }
      throw PipelineError(kind: .internal, message: "no URL to fetch for \(spec.imageURL)")
    }
    let origin = failures.last
    return try await originals.run("archive \(candidates.map(\.url))") {
      try await self.recoverFromArchives(
        candidates, published: published, refresh: refresh, origin: origin)
    }
  }

  /// The first candidate's usable original in the index (no request made).
  private func cachedOriginal(_ candidates: [SourceCandidate]) async throws -> StoredOriginal? {
    let cache = self.cache
    for candidate in candidates {
      let url = candidate.url
      if let known = try await readIndex({ () throws(StoreError) in
        try Self.usableOriginal(in: cache, url: url)
      }) {
        return StoredOriginal(known, candidate: candidate)
      }
    }
    return nil
  }

  /// The original stored for `candidate`, else fetched now; failures are recorded in the index.
  private func loadOrFetch(_ candidate: SourceCandidate, refresh: Bool) async throws
    -> StoredOriginal
  {
    let (cache, url) = (self.cache, candidate.url)
    let known = try await readIndex { () throws(StoreError) in
      try Self.usableOriginal(in: cache, url: url)
    }
    if let known, !refresh {
      // Most recently used from now on: a concurrent `gc` evicts it last while it waits for its
      // render.
      try? await runStore { try cache.touch(known.original) }
      return StoredOriginal(known, candidate: candidate)
    }
    guard let fetcher else {
      throw PipelineError(
        kind: .internal, message: "\(url) is not cached and this resolver does not fetch")
    }
    do {
      return try await fetchAndStore(candidate, with: fetcher, revalidating: known)
    } catch let error as FetchError {
      // A cancelled fetch says nothing about the URL, nor does a local disk that filled up while
      // the download was being written to it.
      if !error.isCancellation, error.kind != .storage {
        try? await runStore {
          try cache.recordFailure(url: url, kind: error.kind, message: error.message)
        }
      }
      throw error
    }
  }

  private func fetchAndStore(
    _ candidate: SourceCandidate, with fetcher: Fetcher, revalidating known: OriginalRecord?
  ) async throws -> StoredOriginal {
    let url = candidate.url
    let request = FetchRequest(
      url: url, ifNoneMatch: known?.etag, ifModifiedSince: known?.lastModified)
    let cache = self.cache
    // The body streams into a staging file in the cache as it arrives: a download holds a few
    // buffers, not the image, however slow the origin. Not stored unless it all arrived and is
    // an image; `originals` makes sure one URL is fetched once at a time.
    let writer = try await runStore { try cache.makeBlobWriter() }
    defer { writer.abandon() }
    let response = try await fetcher.fetch(request, streamingBodyTo: BlobWriterSink(writer))
    if response.notModified, let known {
      let fetchedAt = try await runStore { () throws -> Date in
        _ = try cache.recordNotModified(url: url)
        return try cache.original(forURL: url)?.fetchedAt ?? cache.now
      }
      var original = StoredOriginal(known, candidate: candidate)
      original.fetchedAt = fetchedAt
      return original
    }
    let stored = try await commitOriginal(writer, response, url: url, archive: nil)
    // A reference waiting for a render slot holds only the digest; the render reads the blob
    // back (from the page cache) once it has a slot.
    return StoredOriginal(url: url, digest: stored.0, role: candidate.role, fetchedAt: stored.1)
  }

  /// Stores a downloaded original (its body in `writer`) under `url` and returns its digest and
  /// fetch time.
  func commitOriginal(
    _ writer: any BlobWriter, _ response: FetchResponse, url: String,
    archive: ArchiveProvenance?
  ) async throws -> (Digest, Date) {
    let (cache, thumbnailer) = (self.cache, self.thumbnailer)
    return try await runStore { () throws -> (Digest, Date) in
      // The head holds the header of any ordinary image; one that does not fit in it (a TIFF's
      // directory at the end, huge APP segments) is read from the stored file instead.
      var header = try? thumbnailer.probe(response.body)
      let digest = try writer.commit()
      if header == nil, response.bodyBytes > response.body.count {
        header = (try? cache.readBlob(digest)).flatMap { $0 }.flatMap {
          try? thumbnailer.probe($0)
        }
      }
      let fetchedAt = cache.now
      try cache.recordOriginal(
        url: url, original: digest, format: response.format, bytes: response.bodyBytes,
        contentType: response.contentType, etag: response.etag,
        lastModified: response.lastModified, width: header?.width, height: header?.height,
        fetchedAt: fetchedAt, archive: archive)
      return (digest, fetchedAt)
    }
  }
}

/// Feeds a download into a blob writer.
final class BlobWriterSink: FetchBodySink {
  let writer: any BlobWriter
  init(_ writer: any BlobWriter) { self.writer = writer }
  func restart() throws { try writer.restart() }
  func write(_ bytes: UnsafeRawBufferPointer) throws { try writer.write(bytes) }
}
