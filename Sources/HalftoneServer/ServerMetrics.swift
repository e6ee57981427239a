import Foundation
import HalftoneCore
import Metrics
import Prometheus

/// The server's metrics, recorded through swift-metrics into a Prometheus registry that this
/// value owns (never the process-wide `MetricsSystem`): several servers can live in one process
/// (tests do), and nothing has to be bootstrapped exactly once.
///
/// Exposed at `/metrics`:
/// - `halftone_http_requests_total{route,status}`
/// - `halftone_http_request_duration_seconds{route}` (histogram)
/// - `halftone_http_response_bytes_total{route}` (body bytes sent)
/// - `halftone_http_fast_path_responses_total` (of those requests, the hot blobs answered on the
///   network thread by `HotBlobChannelHandler`)
/// - `halftone_thumbnail_lookups_total{result}` (`hit`, `miss`)
/// - `halftone_ondemand_jobs_total{result}` (`rendered`, `cached`, `failed`, `rejected`)
/// - `halftone_ondemand_queue_depth` (jobs admitted: running plus waiting)
/// - `halftone_fetch_errors_total{kind}` (on-demand failures by error kind)
/// - `halftone_access_log_dropped_lines_total` (lines the access log's destination was too slow
///   to take)
public final class ServerMetrics: Sendable {
  /// The registry `/metrics` renders.
  public let registry: PrometheusCollectorRegistry
  private let factory: PrometheusMetricsFactory
  private let requestHandles = Locked<[RequestKey: RequestMetrics]>([:])
  private let durations = Locked<[Route: CoreMetrics.Timer]>([:])
  private let bytesOut = Locked<[Route: CoreMetrics.Counter]>([:])
  private let labelled = Locked<[String: CoreMetrics.Counter]>([:])
  private let queueDepthMeter: Meter
  private let fastPathResponses: CoreMetrics.Counter
  private let droppedAccessLogLines: CoreMetrics.Counter

  private struct RequestKey: Hashable {
    var route: Route
    var status: Int
  }

  public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.defaultDurationHistogramBuckets = [
      .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
      .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
      .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]
    self.factory = factory
    queueDepthMeter = Meter(label: "halftone_ondemand_queue_depth", factory: factory)
    queueDepthMeter.set(0)
    fastPathResponses = CoreMetrics.Counter(
      label: "halftone_http_fast_path_responses_total", factory: factory)
    droppedAccessLogLines = CoreMetrics.Counter(
      label: "halftone_access_log_dropped_lines_total", factory: factory)
  }

  /// One answered request.
  func recordRequest(route: Route, status: Int, bytes: Int, duration: Duration) {
    requestMetrics(route: route, status: status).record(bytes: bytes, duration: duration)
  }

  /// The handles `recordRequest` increments for `route` and `status`, for a caller that answers
  /// many requests and keeps them (one lookup under a lock instead of one per request).
  func requestMetrics(route: Route, status: Int) -> RequestMetrics {
    Self.handle(in: requestHandles, for: RequestKey(route: route, status: status)) {
      let routeDimension = ("route", route.rawValue)
      return RequestMetrics(
        requests: CoreMetrics.Counter(
          label: "halftone_http_requests_total",
          dimensions: [routeDimension, ("status", "\(status)")], factory: factory),
        duration: Self.handle(in: durations, for: route) {
          CoreMetrics.Timer(
            label: "halftone_http_request_duration_seconds", dimensions: [routeDimension],
            factory: factory)
        },
        bytes: Self.handle(in: bytesOut, for: route) {
          CoreMetrics.Counter(
            label: "halftone_http_response_bytes_total", dimensions: [routeDimension],
            factory: factory)
        })
    }
  }

  /// The metric handle kept for `key`, made once: swift-metrics handles are cheap to use but
  /// not to make (each registers with the registry).
  private static func handle<Key: Hashable & Sendable, Handle: Sendable>(
    in handles: Locked<[Key: Handle]>, for key: Key, make: () -> Handle
  ) -> Handle {
    handles.withLock { handles in
      if let existing = handles[key] { return existing }
      let made = make()
      handles[key] = made
      return made
    }
  }

  /// One request answered by `HotBlobChannelHandler` (recorded with `recordRequest` as well).
  func recordFastPathResponse() { fastPathResponses.increment() }

  /// An access-log line dropped (its destination was too slow).
  func recordAccessLogDrop() { droppedAccessLogLines.increment() }

  /// A `/thumbnails` lookup in the index.
  func recordThumbnailLookup(hit: Bool) {
    counter("halftone_thumbnail_lookups_total", "result", hit ? "hit" : "miss").increment()
  }

  /// How an on-demand job ended: `rendered`, `cached` (another request stored it first),
  /// `failed`, or `rejected` (queue full).
  func recordOnDemand(_ result: String) {
    counter("halftone_ondemand_jobs_total", "result", result).increment()
  }

  /// An on-demand failure, by error kind.
  func recordFetchError(kind: String) {
    counter("halftone_fetch_errors_total", "kind", kind).increment()
  }

  /// The number of admitted on-demand jobs.
  func setQueueDepth(_ depth: Int) { queueDepthMeter.set(depth) }

  /// The Prometheus text exposition.
  public func exposition() -> String { registry.emitToString() }

  private func counter(_ name: String, _ label: String, _ value: String) -> CoreMetrics.Counter {
    Self.handle(in: labelled, for: "\(name) \(value)") {
      CoreMetrics.Counter(label: name, dimensions: [(label, value)], factory: factory)
    }
  }
}

/// The metric handles one answered request of a route and status increments.
struct RequestMetrics: Sendable {
  let requests: CoreMetrics.Counter
  let duration: CoreMetrics.Timer
  /// Body bytes sent, per route (shared by the route's statuses).
  let bytes: CoreMetrics.Counter

  func record(bytes sent: Int, duration elapsed: Duration) {
    requests.increment()
    let (seconds, attoseconds) = elapsed.components
    duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    if sent > 0 { bytes.increment(by: sent) }
  }
}

/// The server's routes, as metrics and the access log name them.
enum Route: String, Sendable, Hashable {
  case blobs, thumbnails, images, healthz, metrics, other
}
