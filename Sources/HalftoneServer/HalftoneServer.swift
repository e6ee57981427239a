import Foundation
import Halftone
import HalftoneCore
import HalftoneStore
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// The Halftone HTTP server: immutable blobs by digest, thumbnails by image reference, metadata,
/// health and metrics, optionally making missing thumbnails on demand.
///
/// ```swift
/// let pipeline = ImagePipeline(cache: cache, fetcher: nil)   // a fetcher for --on-demand
/// let server = try HalftoneServer(configuration: configuration, pipeline: pipeline)
/// try await server.run()   // until SIGTERM/SIGINT; requests in flight finish first
/// ```
/// Tests run `makeApplication(onRunning:)` inside their own `ServiceGroup` with port 0, learn the
/// port from `onRunning`, and shut it down with `triggerGracefulShutdown()`.
public final class HalftoneServer: Sendable {
  public let configuration: HalftoneServerConfiguration
  /// The resolver every route asks (the one `halftone prefetch` uses).
  public let pipeline: ImagePipeline
  public var cache: Cache { pipeline.cache }
  public let metrics: ServerMetrics
  let logger: Logger
  let accesses: AccessRecorder
  let hot: HotBlobs
  let memo: LookupMemo
  let onDemand: OnDemandRenderer?
  let accessLog: AccessLog

  /// - Parameters:
  ///   - pipeline: the resolver; it needs a fetcher when `configuration.onDemand` is set.
  ///   - metrics: where metrics go (a fresh registry by default).
  ///   - logger: server messages (the access log has its own writer: `configuration.accessLog`).
  public init(
    configuration: HalftoneServerConfiguration, pipeline: ImagePipeline,
    metrics: ServerMetrics = ServerMetrics(),
    logger: Logger = Logger(label: "halftone.server")
  ) throws(ServerSetupError) {
    if let problem = configuration.problem() { throw ServerSetupError(problem) }
    self.configuration = configuration
    self.pipeline = pipeline
    let cache = pipeline.cache
    self.metrics = metrics
    self.logger = logger
    accesses = AccessRecorder(
      cache: cache, interval: configuration.accessFlushInterval,
      limit: configuration.maxPendingAccesses, logger: logger)
    hot = HotBlobs(
      budget: configuration.memoryCacheBytes, maxEntryBytes: configuration.memoryCacheMaxBlobBytes,
      lifetime: .milliseconds(Int64(configuration.memoryCacheLifetime * 1000)))
    memo = LookupMemo(
      capacity: configuration.memoryCacheLifetime > 0 ? configuration.rememberedLookups : 0,
      lifetime: .milliseconds(Int64(configuration.memoryCacheLifetime * 1000)))
    if configuration.accessLog == .off {
      accessLog = AccessLog(writer: nil)
    } else {
      accessLog = AccessLog(
        writer: try AccessLogWriter(
          destination: configuration.accessLog, capacity: configuration.accessLogBufferLines,
          onDrop: { [metrics] in metrics.recordAccessLogDrop() }))
    }
    if configuration.onDemand {
      guard pipeline.fetcher != nil else {
        throw ServerSetupError("on-demand thumbnails need an ImagePipeline with a Fetcher")
      }
      onDemand = OnDemandRenderer(
        pipeline: pipeline, queueLimit: configuration.queueLimit,
        workers: configuration.onDemandWorkers, deadline: configuration.deadline,
        retryAfterSeconds: configuration.retryAfterSeconds, metrics: metrics)
    } else {
      onDemand = nil
    }
  }

  /// The Hummingbird application. `onRunning` receives the bound address once the socket
  /// listens (with port 0, the port the system picked).
  public func makeApplication(
    onRunning: @escaping @Sendable (BoundAddress) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    let blobs = BlobResponder(
      cache: cache, chunkBytes: configuration.blobChunkBytes, accesses: accesses, hot: hot,
      reads: WorkLimiter(limit: configuration.blobReaders))
    let responder = HalftoneResponder(
      configuration: configuration, pipeline: pipeline, blobs: blobs,
      thumbnails: ThumbnailRoute(
        pipeline: pipeline, blobs: blobs, signingKeys: configuration.signingKeys,
        onDemand: onDemand,
        metrics: metrics, memo: memo),
      images: ImagesRoute(pipeline: pipeline), metrics: metrics, accessLog: accessLog)
    let host = configuration.host
    let http1 = HTTP1Channel.Configuration(
      idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)),
      httpDecoderConfiguration: .init(
        maxHeaderFieldSize: configuration.maxHeaderBytes,
        maxHeaderListSize: configuration.maxHeaderBytes, maxHeaderFieldCount: 100))
    let fastPath =
      configuration.hotBlobFastPath && hot.budget > 0
      ? HotBlobFastPath(
        hot: hot, accesses: accesses, metrics: metrics, accessLog: accessLog,
        serverName: Self.serverName)
      : nil
    let server = HTTPServerBuilder.http1(
      configuration: http1, hotBlobs: fastPath,
      guardLimits: RequestGuard.Limits(
        maxRequestBodyBytes: configuration.maxRequestBodyBytes,
        closeGrace: .milliseconds(Int64(configuration.closeGrace * 1000))),
      accessLog: accessLog)
    return Application(
      responder: responder,
      server: server,
      configuration: ApplicationConfiguration(
        address: .hostname(host, port: configuration.port), serverName: Self.serverName,
        availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)),
      services: [accesses],
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        await onRunning(BoundAddress(host: host, port: port))
      },
      logger: logger)
  }

  /// The `Server` header of every response.
  static let serverName = "halftone"

  /// Starts serving in the background and returns once the socket listens.
  ///
  /// - Parameter handleSignals: shut down gracefully on SIGTERM and SIGINT (the CLI does; tests
  ///   call `RunningServer.shutdown()` instead).
  /// Graceful shutdown closes the listening socket (new connections are refused), lets requests
  /// in flight finish, then writes pending access times.
  public func start(handleSignals: Bool = false) async throws -> RunningServer {
    let started = StartSignal()
    var groupConfiguration = ServiceGroupConfiguration(
      services: [makeApplication(onRunning: { started.resume(with: .success($0)) })],
      gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [], logger: logger)
    // Requests in flight get their deadline (and a margin) to finish; then they are cancelled.
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.deadline + 10)
    let group = ServiceGroup(configuration: groupConfiguration)
    let writer = accessLog.writer
    let task = Task {
      // The last lines are written once requests in flight have finished.
      defer { writer?.close() }
      do {
        try await group.run()
        started.resume(with: .failure(ServerSetupError("the server stopped before it started")))
      } catch {
        started.resume(with: .failure(error))
        throw error
      }
    }
    let address = try await started.wait()
    return RunningServer(address: address, group: group, task: task)
  }

  /// Serves until SIGTERM or SIGINT, then shuts down gracefully. `onRunning` is called with the
  /// bound address once the socket listens.
  public func run(onRunning: @Sendable (BoundAddress) -> Void = { _ in }) async throws {
    let running = try await start(handleSignals: true)
    onRunning(running.address)
    try await running.waitUntilStopped()
  }

  /// How on-demand jobs went (all zero without `onDemand`).
  public var onDemandCounts:
    (rendered: Int, cached: Int, failed: Int, rejected: Int, cancelled: Int)
  {
    let counts = onDemand?.currentCounts ?? OnDemandRenderer.Counts()
    return (counts.rendered, counts.cached, counts.failed, counts.rejected, counts.cancelled)
  }

  /// On-demand jobs running or queued right now.
  public var onDemandJobs: Int { onDemand?.jobCount ?? 0 }

  /// Requests waiting for an on-demand thumbnail right now.
  public var onDemandWaiting: Int { onDemand?.waitingRequests ?? 0 }

  /// Writes pending access times now (normally every `accessFlushInterval` and at shutdown).
  public func flushAccessTimes() { accesses.flush() }

  /// Writes the access-log lines waiting now (normally within 0.1 s, and at shutdown).
  public func flushAccessLog() { accessLog.writer?.flush() }

  /// Access-log lines dropped because the destination was slower than the requests.
  public var droppedAccessLogLines: Int { accessLog.writer?.droppedCount ?? 0 }
}

/// A server started with `HalftoneServer.start`.
public final class RunningServer: Sendable {
  /// Where it listens (the real port when 0 was asked for).
  public let address: BoundAddress
  private let group: ServiceGroup
  private let task: Task<Void, any Error>

  init(address: BoundAddress, group: ServiceGroup, task: Task<Void, any Error>) {
    self.address = address
    self.group = group
    self.task = task
  }

  /// Begins a graceful shutdown and returns at once: the listening socket closes, requests in
  /// flight go on.
  public func beginShutdown() async { await group.triggerGracefulShutdown() }

  /// Waits until the server has stopped (every request finished, access times written).
  public func waitUntilStopped() async throws { try await task.value }

  /// Graceful shutdown, waiting for it to complete.
  public func shutdown() async throws {
    await beginShutdown()
    try await waitUntilStopped()
  }
}

/// Resumes the starter once, with the bound address or the error that prevented it: whichever of
/// "running" and "stopped" comes first wins, and `wait()` may begin before or after it.
private struct StartSignal: Sendable {
  private struct State {
    var result: Result<BoundAddress, any Error>?
    var waiter: CheckedContinuation<BoundAddress, any Error>?
  }
  private let state = Locked(State())

  func resume(with outcome: Result<BoundAddress, any Error>) {
    let waiting = state.withLock { state -> CheckedContinuation<BoundAddress, any Error>? in
      guard state.result == nil else { return nil }
      state.result = outcome
      defer { state.waiter = nil }
      return state.waiter
    }
    // Resumed outside the lock: the waiter's task may run at once.
    waiting?.resume(with: outcome)
  }

  func wait() async throws -> BoundAddress {
    try await withCheckedThrowingContinuation { continuation in
      let ready = state.withLock { state -> Result<BoundAddress, any Error>? in
        if let result = state.result { return result }
        state.waiter = continuation
        return nil
      }
      if let ready { continuation.resume(with: ready) }
    }
  }
}

/// Where the server listens.
public struct BoundAddress: Sendable, Hashable, CustomStringConvertible {
  public var host: String
  public var port: Int
  /// `http://host:port` (IPv6 hosts in brackets).
  public var url: String {
    host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
  }
  public var description: String { url }
}

/// A server that cannot start as configured; the message says what to change.
public struct ServerSetupError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
