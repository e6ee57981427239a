import Foundation
import HalftoneFetch

/// Which URL a reference's original is fetched from.
public enum FetchMode: String, Sendable, Codable, CaseIterable {
  /// The dialect's master (the query-less URL for Fastly IO and imgix, the inner URL for Photon),
  /// with the CDN's transform applied locally; falls back to the URL as written on a 4xx.
  case master
  /// Always the URL as the record wrote it.
  case asWritten = "as-written"
}

/// How a prefetch run behaves. Every bound has a default a production run can live with.
public struct PrefetchOptions: Sendable {
  public var fetchMode: FetchMode = .master
  /// Revalidate cached originals with conditional requests instead of trusting the cache.
  public var refresh = false
  /// References in flight at once (the I/O-bound stage). Bounds memory: each holds at most one
  /// original while it downloads (not while it waits for a render: it is in the cache by then).
  public var concurrency = 32
  /// Thumbnails rendered at once (the CPU-bound stage): one per core by default.
  public var thumbnailWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)
  /// Store operations (hash, blob write with fsync, index write) at once. Several, so that
  /// concurrent blob writes share their fsyncs.
  public var storeWorkers = 8
  /// Sources with more pixels than this are refused from their header.
  public var maxPixels = 100_000_000

  public init() {}
}
