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
  /// References in flight at once (the I/O-bound stage). Bounds memory: each holds one original.
  public var concurrency = 32
  /// Thumbnails rendered at once (the CPU-bound stage): one per core by default.
  public var thumbnailWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)
  /// Sources with more pixels than this are refused from their header.
  public var maxPixels = 100_000_000

  public init() {}
}
