import Foundation
import HalftoneSpec

/// Which URL a reference's original is fetched from.
public enum FetchMode: String, Sendable, Codable, CaseIterable {
  /// The dialect's master (the query-less URL for Fastly IO and imgix, the inner URL for Photon),
  /// with the CDN's transform applied locally; falls back to the URL as written on a 4xx.
  case master
  /// Always the URL as the record wrote it.
  case asWritten = "as-written"
}

/// How the resolver (`ImagePipeline`) finds, fetches and renders one image reference. Every bound
/// has a default a production run can live with.
public struct PipelineOptions: Sendable {
  /// Which URLs an original is looked up under and fetched from (see `SourceCandidate`).
  public var fetchMode: FetchMode = .master
  /// Thumbnails rendered at once (the CPU-bound stage): one per core by default.
  public var thumbnailWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)
  /// Store operations (hash, blob write with fsync, index write) at once. Several, so that
  /// concurrent blob writes share their fsyncs.
  public var storeWorkers = 8
  /// Index reads at once, on their own threads (never on Swift's cooperative pool or an event
  /// loop); separate from `storeWorkers` so a lookup never queues behind a write's fsync.
  public var indexReaders = 8
  /// Sources with more pixels than this are refused from their header.
  public var maxPixels = 100_000_000
  /// Skip the origin: originals come from the cache or the archives only (`--archive-only`,
  /// for a re-run over a report's failures).
  public var archiveOnly = false
  /// An archive that had no capture of a URL is not asked about it again for this long
  /// (`--archive-retry-after`), unless `refresh`.
  public var archiveRetryAfter: TimeInterval = 30 * 86_400
  /// Site rules read before the built-in dialect detection (`--url-rules`).
  public var urlRules = URLRules.none

  public init() {}
}

/// How a prefetch run behaves, on top of the resolver's options.
public struct PrefetchOptions: Sendable {
  public var pipeline = PipelineOptions()
  /// Revalidate cached originals with conditional requests instead of trusting the cache.
  public var refresh = false
  /// References in flight at once (the I/O-bound stage). Bounds memory: each holds at most one
  /// original while it downloads (not while it waits for a render: it is in the cache by then).
  public var concurrency = 32
  /// Only this shard's references are processed and reported (and bad records only by shard 0);
  /// `nil`: all of them.
  public var shard: Shard?

  public init() {}

  /// `pipeline.fetchMode`.
  public var fetchMode: FetchMode {
    get { pipeline.fetchMode }
    set { pipeline.fetchMode = newValue }
  }
  /// `pipeline.maxPixels`.
  public var maxPixels: Int {
    get { pipeline.maxPixels }
    set { pipeline.maxPixels = newValue }
  }
  /// `pipeline.thumbnailWorkers`.
  public var thumbnailWorkers: Int {
    get { pipeline.thumbnailWorkers }
    set { pipeline.thumbnailWorkers = newValue }
  }
}
