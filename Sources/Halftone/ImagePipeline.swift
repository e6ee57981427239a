import Foundation
import HalftoneArchive
import HalftoneCore
import HalftoneFetch
import HalftoneImaging
import HalftoneSpec
import HalftoneStore

/// The resolver: takes one image reference (a `ThumbnailSpec`) to its stored thumbnail.
///
/// spec → candidate URLs (`SourceCandidate`, one documented order) → the cached answer, else the
/// original (cached, or fetched and stored) → render → store. Prefetch, on-demand serving,
/// `/thumbnails`, `/images` and `lookup` all ask it, so they agree on what a reference resolves
/// to; none keeps its own copy of the candidate order or the lookup rules.
///
/// Lookup rules, in one place (`cachedThumbnail(for:keys:)`): for each candidate in order, its
/// original if the index has one that is usable (not last found undecodable: that one is fetched
/// again, the origin may have served a truncated copy), then each spec key in order.
///
/// Blocking work never runs on Swift's cooperative pool: index reads on `reads`, hashing, blob
/// writes and index writes on `storing`, renders on `renders` (one per core), each on Dispatch
/// threads. Equal work is shared (`Coalescer`): one fetch per URL, one render per (original, spec
/// key); work whose every caller has left is cancelled.
public final class ImagePipeline: Sendable {
  public let cache: Cache
  /// `nil` for a resolver that only looks up (`serve` without `--on-demand`, `lookup`).
  public let fetcher: Fetcher?
  /// The web archives asked for an image its origin lost; `nil`: none (the default).
  public let archives: ArchiveRecovery?
  public let options: PipelineOptions
  let thumbnailer: Thumbnailer
  let renders: WorkLimiter
  let storing: WorkLimiter
  let reads: WorkLimiter
  /// One read buffer per render slot: originals are read into reused memory, not fresh
  /// allocations (see `ReusableBuffer`).
  let readBuffers = ReusableBufferPool()
  let originals = Coalescer<String, StoredOriginal>()
  let thumbnails = Coalescer<String, ThumbnailRecord>()

  public init(
    cache: Cache, fetcher: Fetcher?, archives: ArchiveRecovery? = nil,
    options: PipelineOptions = PipelineOptions()
  ) {
    self.cache = cache
    self.fetcher = fetcher
    self.archives = archives
    self.options = options
    thumbnailer = Thumbnailer(maxPixels: options.maxPixels)
    renders = WorkLimiter(limit: max(1, options.thumbnailWorkers))
    storing = WorkLimiter(limit: max(1, options.storeWorkers))
    reads = WorkLimiter(limit: max(1, options.indexReaders))
  }

  /// The spec of an image reference: its URL read with the site rules (`options.urlRules`) and
  /// the size its record declares. Every caller reads references through this.
  public func spec(url: String, declaredWidth: Int? = nil, declaredHeight: Int? = nil)
    throws(SpecError) -> ThumbnailSpec
  {
    try ThumbnailSpec.parse(
      url: url, declaredWidth: declaredWidth, declaredHeight: declaredHeight,
      rules: options.urlRules)
  }

  /// The URLs `spec`'s original is looked up under and fetched from, in order.
  public func candidates(for spec: ThumbnailSpec) -> [SourceCandidate] {
    SourceCandidate.candidates(for: spec, mode: options.fetchMode)
  }

  // MARK: Lookup

  /// The stored thumbnail of `spec` when the index has it, trying `keys` in order for each
  /// candidate's original (default: the spec's own key; `/thumbnails` passes the negotiated
  /// formats first). Never fetches; records no access.
  public func cachedThumbnail(
    for spec: ThumbnailSpec, keys: [String]? = nil
  ) async throws(StoreError) -> ResolvedThumbnail? {
    let keys = keys ?? [spec.canonicalKey]
    let (cache, candidates) = (self.cache, candidates(for: spec))
    return try await readIndex { () throws(StoreError) in
      try Self.lookUp(in: cache, candidates: candidates, keys: keys)
    }
  }

  /// What the cache knows about `spec`'s reference: every candidate URL with its last status,
  /// its original and all of that original's thumbnails, and the answer the resolver gives for
  /// the spec's key.
  public func describe(_ spec: ThumbnailSpec) async throws(StoreError) -> ImageDescription {
    let (cache, candidates) = (self.cache, candidates(for: spec))
    return try await readIndex { () throws(StoreError) in
      try ImageDescription.read(from: cache, url: spec.imageURL, candidates: candidates, spec: spec)
    }
  }

  /// Throws when the index or the blob store cannot answer (`/healthz`).
  public func checkHealth() async throws(StoreError) {
    let cache = self.cache
    try await readIndex { () throws(StoreError) in try cache.checkHealth() }
  }

  /// The lookup rules, synchronous: for the callers already on a store thread.
  static func lookUp(
    in cache: Cache, candidates: [SourceCandidate], keys: [String]
  ) throws(StoreError) -> ResolvedThumbnail? {
    for candidate in candidates {
      guard let original = try usableOriginal(in: cache, url: candidate.url) else { continue }
      for key in keys {
        if let thumbnail = try cache.thumbnail(original: original.original, specKey: key) {
          return ResolvedThumbnail(
            original: StoredOriginal(original, candidate: candidate), thumbnail: thumbnail,
            madeNow: false)
        }
      }
    }
    return nil
  }

  /// The cached original of `url`, unless the last attempt found it undecodable (then it is
  /// fetched again: the origin may have served a truncated copy).
  static func usableOriginal(in cache: Cache, url: String) throws(StoreError) -> OriginalRecord? {
    guard let original = try cache.original(forURL: url) else { return nil }
    if original.lastStatus == .failed, let kind = original.lastErrorKind,
      Self.undecodable.contains(kind)
    {
      return nil
    }
    return original
  }

  /// Failures that make a cached original unusable.
  static let undecodable: Set<ErrorKind> = [.corruptImage, .notAnImage]

  // MARK: Resolve

  /// The stored thumbnail of `spec`: the cached answer, else made now (the original fetched if
  /// the cache has none, or revalidated with `refresh`). Throws the stage's typed error
  /// (`SpecError`, `FetchError`, `ImagingError`, `StoreError`, `PipelineError`), or
  /// `CancellationError` when the calling task is cancelled. `published` (the article's date)
  /// chooses among an archive's captures when the origin has lost the image.
  public func thumbnail(
    for spec: ThumbnailSpec, refresh: Bool = false, published: Date? = nil
  ) async throws -> ResolvedThumbnail {
    let key = spec.canonicalKey
    if !refresh, let cached = try await cachedThumbnail(for: spec, keys: [key]) {
      // Most recently used from now on.
      try? await runStore { [cache] in try cache.touch(cached.thumbnail.thumbnail) }
      return cached
    }
    let original = try await obtainOriginal(spec, refresh: refresh, published: published)
    do {
      return try await thumbnail(of: original, spec: spec, key: key)
    } catch is OriginalVanished {
      // A concurrent `gc` removed the original while this reference waited for a render slot.
      // The index now misses it, so obtaining it again fetches it again (once).
      let again = try await obtainOriginal(spec, refresh: false, published: published)
      return try await thumbnail(of: again, spec: spec, key: key)
    }
  }

  /// The thumbnail of `original` for `key`: from the index, else rendered and stored now.
  private func thumbnail(
    of original: StoredOriginal, spec: ThumbnailSpec, key: String
  ) async throws -> ResolvedThumbnail {
    let cache = self.cache
    let stored = try await thumbnails.run("\(original.digest.hex) \(key)") {
      // The digest names the original's content, so a thumbnail made from it stays valid even
      // when `refresh` re-fetched it.
      if let existing = try await self.readIndex({ () throws(StoreError) in
        try cache.thumbnail(original: original.digest, specKey: key)
      }) {
        return existing
      }
      return try await self.render(original, spec: spec, key: key)
    }
    return ResolvedThumbnail(original: original, thumbnail: stored, madeNow: true)
  }

  // MARK: Threads

  /// Runs an index read on a reader thread.
  func readIndex<T: Sendable>(
    _ work: @escaping @Sendable () throws(StoreError) -> T
  ) async throws(StoreError) -> T {
    do {
      return try await reads.runBlocking { try work() }
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(kind: .internal, message: "index read abandoned: \(error)")
    }
  }

  /// Runs store work (hash, blob write, index write) on a store thread.
  func runStore<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await storing.runBlocking(work)
  }
}

/// A thumbnail an image reference resolved to, and the original it was made from.
public struct ResolvedThumbnail: Sendable, Hashable {
  public var original: StoredOriginal
  public var thumbnail: ThumbnailRecord
  /// Something was fetched, revalidated or rendered for this answer (not all found stored).
  public var madeNow: Bool
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
