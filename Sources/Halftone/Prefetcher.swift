import Foundation
import HalftoneCore
import HalftoneFetch
import HalftoneImaging
import HalftoneRecords
import HalftoneSpec
import HalftoneStore

/// Drives the flow for a stream of article records: spec → fetch → store → thumbnail → store, with
/// the fetch stage I/O-bound and highly concurrent and the thumbnail stage bounded to one render
/// per core. Every reference ends in exactly one `ReferenceOutcome`.
///
/// Resumable: whatever the index already holds is not requested again (unless `refresh`).
public final class Prefetcher: Sendable {
  public let cache: Cache
  public let fetcher: Fetcher
  public let thumbnailer: Thumbnailer
  public let options: PrefetchOptions
  private let renders: WorkLimiter
  /// One read buffer per render slot: originals are read into reused memory, not fresh
  /// allocations (see `ReusableBuffer`). Each keeps up to 16 MiB between renders for the life of
  /// the prefetcher (in `serve` too, which renders through one).
  private let readBuffers = ReusableBufferPool()
  /// Hashing, blob writes (fsync) and index writes: blocking, so they run on Dispatch threads
  /// rather than Swift's cooperative pool, several at once so that the store can group their
  /// fsyncs (see `FileBlobBackend` and `GroupCommit`).
  private let storing: WorkLimiter
  private let originals = SingleFlight<String, StoredOriginal>()
  private let thumbnails = SingleFlight<String, VariantRecord>()

  public init(cache: Cache, fetcher: Fetcher, options: PrefetchOptions) {
    self.cache = cache
    self.fetcher = fetcher
    self.options = options
    self.thumbnailer = Thumbnailer(maxPixels: options.maxPixels)
    self.renders = WorkLimiter(limit: max(1, options.thumbnailWorkers))
    self.storing = WorkLimiter(limit: max(1, options.storeWorkers))
  }

  /// Processes every item, at most `options.concurrency` references at once, reading records only
  /// as slots free up (so memory does not grow with the archive). `onOutcome` is called once per
  /// reference and per bad record, from the calling task, in completion order.
  public func run<Items: Sequence>(
    _ items: Items, onOutcome: (ReferenceOutcome) -> Void
  ) async -> PrefetchSummary where Items.Element == RecordItem {
    var summary = PrefetchSummary()
    let started = Date()
    var iterator = items.makeIterator()
    await withTaskGroup(of: ReferenceOutcome.self) { group in
      var inFlight = 0
      func finish(_ outcome: ReferenceOutcome) {
        summary.add(outcome)
        onOutcome(outcome)
      }
      while let item = iterator.next() {
        switch item {
        case .problem(let problem):
          finish(ReferenceOutcome(problem: problem))
        case .reference(let reference):
          if inFlight >= options.concurrency, let done = await group.next() {
            inFlight -= 1
            finish(done)
          }
          group.addTask { await self.process(reference) }
          inFlight += 1
        }
      }
      for await done in group { finish(done) }
    }
    summary.seconds = Date().timeIntervalSince(started)
    return summary
  }

  /// Takes one image reference all the way to a stored thumbnail.
  public func process(_ reference: ImageReference) async -> ReferenceOutcome {
    var outcome = ReferenceOutcome(reference: reference)
    do {
      let spec = try ThumbnailSpec.parse(
        url: reference.url, declaredWidth: reference.declaredWidth,
        declaredHeight: reference.declaredHeight)
      let result = try await thumbnail(for: spec)
      outcome.status = result.fetched ? .ok : .skipped
      outcome.fill(original: result.original, variant: result.variant)
    } catch {
      outcome.fail(error)
    }
    return outcome
  }

  /// The stored thumbnail of `spec`, made now if the index does not have it.
  public func thumbnail(for spec: ThumbnailSpec) async throws -> (
    original: StoredOriginal, variant: VariantRecord, fetched: Bool
  ) {
    let key = spec.canonicalKey
    if !options.refresh, let cached = try cachedResult(spec: spec, key: key) {
      return (cached.original, cached.variant, false)
    }
    let original = try await obtainOriginal(spec)
    do {
      return (original, try await variant(of: original, spec: spec, key: key), true)
    } catch is OriginalVanished {
      // A concurrent `gc` removed the original while this reference waited for a render slot.
      // The index now misses it, so obtaining it again fetches it again (once).
      let again = try await obtainOriginal(spec)
      return (again, try await variant(of: again, spec: spec, key: key), true)
    }
  }

  /// The thumbnail of `original` for `key`: from the index, else rendered and stored now.
  private func variant(
    of original: StoredOriginal, spec: ThumbnailSpec, key: String
  ) async throws -> VariantRecord {
    try await thumbnails.run("\(original.digest.hex) \(key)") {
      // The digest names the original's content, so a thumbnail made from it stays valid even
      // when `refresh` re-fetched it.
      if let existing = try self.cache.variant(original: original.digest, specKey: key) {
        return existing
      }
      return try await self.render(original, spec: spec, key: key)
    }
  }

  // MARK: Resume

  /// The original and thumbnail when the index already has both: nothing to request.
  private func cachedResult(spec: ThumbnailSpec, key: String) throws -> (
    original: StoredOriginal, variant: VariantRecord
  )? {
    for (url, asWritten) in candidateURLs(spec) {
      guard let source = try usableSource(url) else { continue }
      guard let variant = try cache.variant(original: source.original, specKey: key) else {
        continue
      }
      try? cache.touch(variant.thumbnail)
      return (StoredOriginal(source: source, asWritten: asWritten), variant)
    }
    return nil
  }

  /// The URLs an original may be stored under, in the order they are tried.
  private func candidateURLs(_ spec: ThumbnailSpec) -> [(url: String, asWritten: Bool)] {
    switch options.fetchMode {
    case .asWritten:
      return [(spec.imageURL, spec.masterURL != spec.imageURL)]
    case .master:
      return spec.sourceURLCandidates.map { ($0, $0 != spec.masterURL) }
    }
  }

  /// The cached original of `url`, unless the last attempt found it undecodable (then it is
  /// fetched again: the origin may have served a truncated copy).
  private func usableSource(_ url: String) throws -> SourceRecord? {
    guard let source = try cache.source(forURL: url) else { return nil }
    let undecodable: Set<ErrorKind> = [.corruptImage, .notAnImage]
    if source.lastStatus == .failed, let kind = source.lastErrorKind, undecodable.contains(kind) {
      return nil
    }
    return source
  }

  // MARK: Fetch → store

  /// The original of `spec`: from the cache when present (revalidated with `refresh`), else
  /// fetched from the master, falling back to the URL as written when the master answers 4xx.
  private func obtainOriginal(_ spec: ThumbnailSpec) async throws -> StoredOriginal {
    let candidates = candidateURLs(spec)
    for (index, candidate) in candidates.enumerated() {
      do {
        // One fetch per URL however many references share it: later callers wait for the first
        // and then find it in the index.
        var original = try await originals.run(candidate.url) {
          try await self.loadOrFetch(candidate.url, asWritten: candidate.asWritten)
        }
        original.asWritten = candidate.asWritten
        return original
      } catch let error as FetchError {
        let isLast = index == candidates.count - 1
        let masterMissing =
          error.kind == .httpStatus && (400..<500).contains(error.httpStatus ?? 0)
        if isLast || !masterMissing { throw error }
      }
    }
    throw PipelineError(kind: .internal, message: "no URL to fetch for \(spec.imageURL)")
  }

  /// The original stored for `url`, else fetched now; failures are recorded in the index.
  private func loadOrFetch(_ url: String, asWritten: Bool) async throws -> StoredOriginal {
    let known = try usableSource(url)
    if let known, !options.refresh {
      // Most recently used from now on: a concurrent `gc` evicts it last while it waits for its
      // render.
      try? cache.touch(known.original)
      return StoredOriginal(source: known, asWritten: asWritten)
    }
    do {
      return try await fetchAndStore(url, asWritten: asWritten, revalidating: known)
    } catch let error as FetchError {
      // A cancelled fetch says nothing about the URL, nor does a local disk that filled up while
      // the download was being written to it.
      if !error.isCancellation, error.kind != .storage {
        try? cache.recordFailure(url: url, kind: error.kind, message: error.message)
      }
      throw error
    }
  }

  private func fetchAndStore(
    _ url: String, asWritten: Bool, revalidating known: SourceRecord?
  ) async throws -> StoredOriginal {
    let request = FetchRequest(
      url: url, ifNoneMatch: known?.etag, ifModifiedSince: known?.lastModified)
    // The body streams into a staging file in the cache as it arrives: a download holds a few
    // buffers, not the image, however slow the origin (32 slow downloads of large originals
    // would otherwise hold hundreds of megabytes). Not stored unless it all arrived and is an
    // image; `originals` makes sure one URL is fetched once at a time.
    let writer = try cache.makeBlobWriter()
    defer { writer.abandon() }
    let response = try await fetcher.fetch(request, streamingBodyTo: BlobWriterSink(writer))
    if response.notModified, let known {
      _ = try cache.recordNotModified(url: url)
      return StoredOriginal(source: known, asWritten: asWritten)
    }
    let (cache, thumbnailer) = (self.cache, self.thumbnailer)
    let digest = try await storing.runBlocking {
      // The head holds the header of any ordinary image; one that does not fit in it (a TIFF's
      // directory at the end, huge APP segments) is read from the stored file instead.
      var header = try? thumbnailer.probe(response.body)
      let digest = try writer.commit()
      if header == nil, response.bodyBytes > response.body.count {
        header = (try? cache.readBlob(digest)).flatMap { $0 }.flatMap {
          try? thumbnailer.probe($0)
        }
      }
      try cache.recordSource(
        url: url, original: digest, format: response.format, bytes: response.bodyBytes,
        contentType: response.contentType, etag: response.etag,
        lastModified: response.lastModified, width: header?.width, height: header?.height)
      return digest
    }
    // A reference waiting for a render slot holds only the digest; the render reads the blob
    // back (from the page cache) once it has a slot.
    return StoredOriginal(url: url, digest: digest, asWritten: asWritten)
  }

  // MARK: Thumbnail → store

  private func render(_ original: StoredOriginal, spec: ThumbnailSpec, key: String) async throws
    -> VariantRecord
  {
    let (cache, thumbnailer, readBuffers) = (self.cache, self.thumbnailer, self.readBuffers)
    let thumbnail: Thumbnail
    do {
      thumbnail = try await renders.runBlocking {
        try readBuffers.withBuffer { buffer in
          try original.read(from: cache, into: buffer)
          return try buffer.withContents { bytes in
            try Self.render(bytes, spec: spec, asWritten: original.asWritten, with: thumbnailer)
          }
        }
      }
    } catch let error as any HalftoneError where error.kind == .corruptImage {
      // Remembered in the index so the next run fetches this original again; and if the stored
      // copy is what is damaged (not what the origin sends), it goes to quarantine, or the next
      // fetch's identical bytes would find its name taken and reuse it.
      try? cache.recordFailure(url: original.url, kind: error.kind, message: error.message)
      _ = try? cache.quarantineIfCorrupt(original.digest)
      throw error
    }
    return try await storing.runBlocking {
      let digest = try cache.putBlob(thumbnail.bytes)
      try cache.recordVariant(
        original: original.digest, specKey: key, thumbnail: digest, width: thumbnail.width,
        height: thumbnail.height, format: SourceFormat(thumbnail.format),
        bytes: thumbnail.bytes.count)
      guard let variant = try cache.variant(original: original.digest, specKey: key) else {
        throw PipelineError(
          kind: .storage, message: "thumbnail \(digest.hex) vanished right after it was stored")
      }
      return variant
    }
  }

  /// Decodes, plans and encodes on the calling thread (a render worker).
  static func render(
    _ bytes: Data, spec: ThumbnailSpec, asWritten: Bool, with thumbnailer: Thumbnailer
  ) throws -> Thumbnail {
    try thumbnailer.thumbnail(bytes) { source throws(SpecError) in
      try plan(spec, source: source, asWritten: asWritten)
    }
  }

  /// The plan for `source`. An image fetched as written from a CDN that already has the output
  /// size was transformed by the CDN: it is re-encoded, not cropped again. Otherwise the origin
  /// ignored the query and served the master, so the spec applies as usual.
  static func plan(_ spec: ThumbnailSpec, source: SourceInfo, asWritten: Bool) throws(SpecError)
    -> ThumbnailPlan
  {
    if asWritten, spec.dialect != .none, spec.isAlreadyTransformed(source) {
      return try spec.passthroughPlan(for: source)
    }
    return try spec.plan(for: source)
  }
}

/// Feeds a download into a blob writer.
private final class BlobWriterSink: FetchBodySink {
  let writer: any BlobWriter
  init(_ writer: any BlobWriter) { self.writer = writer }
  func restart() throws { try writer.restart() }
  func write(_ bytes: UnsafeRawBufferPointer) throws { try writer.write(bytes) }
}

/// An original in the cache (its bytes stay there until a render reads them).
public struct StoredOriginal: Sendable {
  public var url: String
  public var digest: Digest
  /// Fetched from the URL as written rather than the master.
  public internal(set) var asWritten: Bool

  init(url: String, digest: Digest, asWritten: Bool) {
    self.url = url
    self.digest = digest
    self.asWritten = asWritten
  }

  init(source: SourceRecord, asWritten: Bool) {
    self.init(url: source.url, digest: source.original, asWritten: asWritten)
  }

  /// Reads the original's bytes from the cache into `buffer`.
  func read(from cache: Cache, into buffer: ReusableBuffer) throws {
    guard try cache.readBlob(digest, into: buffer) else {
      throw OriginalVanished(
        message: "original \(digest.hex) of \(url) disappeared from the cache (removed by gc?)")
    }
  }
}

/// An original the index named was gone when its render started.
struct OriginalVanished: HalftoneError {
  var kind: ErrorKind { .storage }
  var message: String
}

/// A failure of the pipeline itself (not of a stage), e.g. a blob removed under it.
public struct PipelineError: HalftoneError {
  public var kind: ErrorKind
  public var message: String
}

extension SourceFormat {
  init(_ output: OutputFormat) {
    switch output {
    case .jpeg: self = .jpeg
    case .png: self = .png
    case .webp: self = .webp
    case .avif: self = .avif
    }
  }
}
