import Foundation

/// Everything `halftone serve` can be told. Every bound has a default a public server can live
/// with; the CLI fills it from flags and `HALFTONE_…` environment variables.
///
/// Named `HalftoneServerConfiguration` (not `ServerConfiguration`) so that it never clashes with
/// HummingbirdCore's type of that name in a file that imports both.
public struct HalftoneServerConfiguration: Sendable {
  /// Interface to bind. Loopback unless told otherwise: a thumbnail server is usually put behind a
  /// CDN or reverse proxy on the same host.
  public var host: String = "127.0.0.1"
  /// TCP port; 0 picks a free one (the bound port is reported through `onRunning`).
  public var port: Int = 8080
  /// Keys that verify `/thumbnails` signatures; the first one signs. Empty: signatures are
  /// neither required nor checked.
  public var signingKeys: SigningKeys = SigningKeys()
  /// Make missing thumbnails on request (fetch the original, render, store) instead of answering
  /// 404. Off by default: a plain server only reads the cache.
  public var onDemand: Bool = false
  /// On-demand jobs admitted at once (running plus waiting for a worker); more get 503 with
  /// `Retry-After`.
  public var queueLimit: Int = 64
  /// On-demand jobs running at once (each holds one original in memory while it renders).
  public var onDemandWorkers: Int = 8
  /// Seconds a request waits for an on-demand thumbnail before it gets 504. The job itself goes
  /// on (bounded by the fetch policy's timeouts) and its result is stored for the next request.
  public var deadline: TimeInterval = 30
  /// The `Retry-After` seconds sent with 503.
  public var retryAfterSeconds: Int = 2
  /// Longest request target (path and query) accepted; longer ones get 414.
  public var maxRequestTargetBytes: Int = 8192
  /// Blobs up to this size are read with a single `pread` into one buffer; larger ones are
  /// streamed in chunks of this size, so one request never holds more than this in memory.
  public var blobChunkBytes: Int = 4 << 20
  /// Threads that open and read blobs not held in memory (a disk or a bucket may make them
  /// wait; they never run on the cooperative pool or an event loop).
  public var blobReaders: Int = 16
  /// Memory for recently served small blobs (bytes and ready-made headers), so a hot thumbnail
  /// is answered without touching the filesystem; 0 turns it off.
  public var memoryCacheBytes: Int = 64 << 20
  /// Largest blob kept in memory.
  public var memoryCacheMaxBlobBytes: Int = 1 << 20
  /// Seconds a blob stays in memory before it is read again (a blob removed by `gc` stops
  /// being served after at most this long), and seconds a `/thumbnails` hit is remembered
  /// without asking the index (a thumbnail replaced by `prefetch --refresh` is served after at
  /// most this long). 0 turns both off.
  public var memoryCacheLifetime: TimeInterval = 10
  /// Answer `/blobs/{sha256}` requests for blobs held in that memory right on the network
  /// thread that read them, instead of handing each to the request-handling tasks: the same
  /// answer (status, headers, body, metrics, access log), without the thread wake-ups (about 2
  /// system calls a request instead of 17). Off: every request takes the general path (for
  /// comparing the two).
  public var hotBlobFastPath: Bool = true
  /// `/thumbnails` hits remembered at once.
  public var rememberedLookups: Int = 10_000
  /// How often the access times of served blobs are written to the index (for LRU `gc`).
  /// Hits only record the digest in memory; the write happens here, off the request path.
  public var accessFlushInterval: TimeInterval = 5
  /// Largest number of distinct digests remembered between flushes (more are flushed early).
  public var maxPendingAccesses: Int = 50_000
  /// Seconds an idle keep-alive connection is kept open.
  public var idleTimeout: TimeInterval = 60
  /// Connections open at once; beyond it new connections wait in the listen backlog.
  public var maxConnections: Int = 4096
  /// Largest request header block in bytes (all fields together; the request line is bounded
  /// by `maxRequestTargetBytes`).
  public var maxHeaderBytes: Int = 32 * 1024
  /// Largest request body a request may announce (`Content-Length`); no route reads one, so
  /// a body is read and dropped. Larger: 413 and the connection closes. `Transfer-Encoding` is
  /// refused whatever its size (400).
  public var maxRequestBodyBytes: Int = 64 * 1024
  /// Seconds a closing connection may take to send the answers already written to it (at
  /// shutdown, after `Connection: close`, at the idle timeout); then it is closed anyway.
  public var closeGrace: TimeInterval = 10
  /// Where the access log goes (`--access-log FILE|-|off`).
  public var accessLog: AccessLogDestination = .standardOutput
  /// Access-log lines that may wait for a slow destination; beyond it lines are dropped and
  /// counted (`halftone_access_log_dropped_lines_total`), never waited for.
  public var accessLogBufferLines: Int = 16_384

  public init() {}

  /// The first setting that makes no sense, as a message; `nil` when the configuration is usable.
  public func problem() -> String? {
    if !(0...65535).contains(port) { return "port must be 0–65535, got \(port)" }
    if host.isEmpty { return "host must not be empty" }
    if queueLimit < 1 { return "queue must be at least 1, got \(queueLimit)" }
    if onDemandWorkers < 1 { return "on-demand workers must be at least 1, got \(onDemandWorkers)" }
    if !(deadline.isFinite && deadline > 0) { return "deadline must be > 0 s, got \(deadline)" }
    if retryAfterSeconds < 0 { return "Retry-After must be >= 0 s, got \(retryAfterSeconds)" }
    if maxRequestTargetBytes < 256 {
      return "max request target must be at least 256 bytes, got \(maxRequestTargetBytes)"
    }
    if blobChunkBytes < 4096 { return "blob chunk must be at least 4096 bytes" }
    if !(1...1024).contains(blobReaders) { return "blob readers must be 1–1024" }
    if !(accessFlushInterval.isFinite && accessFlushInterval > 0) {
      return "access flush interval must be > 0 s"
    }
    if maxPendingAccesses < 1 { return "max pending accesses must be at least 1" }
    if !(idleTimeout.isFinite && idleTimeout > 0) { return "idle timeout must be > 0 s" }
    if memoryCacheBytes < 0 { return "memory cache must be >= 0 bytes" }
    if memoryCacheMaxBlobBytes < 0 { return "memory cache blob limit must be >= 0 bytes" }
    if !(memoryCacheLifetime.isFinite && memoryCacheLifetime >= 0) {
      return "memory cache lifetime must be >= 0 s"
    }
    if rememberedLookups < 0 { return "remembered lookups must be >= 0" }
    if maxConnections < 1 { return "max connections must be at least 1, got \(maxConnections)" }
    if maxHeaderBytes < 1024 { return "max header bytes must be at least 1024" }
    if maxRequestBodyBytes < 0 { return "max request body must be >= 0 bytes" }
    if !(closeGrace.isFinite && closeGrace >= 0) { return "close grace must be >= 0 s" }
    if accessLogBufferLines < 1 { return "access log buffer must be at least 1 line" }
    return nil
  }
}
