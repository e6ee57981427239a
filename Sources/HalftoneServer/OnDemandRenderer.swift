import Foundation
import Halftone
import HalftoneSpec
import HalftoneStore
import Hummingbird

/// Makes missing thumbnails while a request waits: fetch the original, render, store, through the
/// same `Prefetcher` pipeline as `halftone prefetch`.
///
/// Bounded three ways: identical requests share one job (`SingleFlight` per spec key: 100
/// concurrent requests for one thumbnail are one fetch and one render, and take one queue slot);
/// at most `queueLimit` jobs are admitted (running plus waiting), more are refused at once with
/// `overloaded` (HTTP 503 + `Retry-After`); at most `workers` jobs run at once (`WorkLimiter`).
/// A request waits at most `deadline` seconds (then 504); its job goes on and stores its result
/// for the next request, still bounded by the fetch policy's timeouts.
final class OnDemandRenderer: Sendable {
  let prefetcher: Prefetcher
  let queueLimit: Int
  let deadline: TimeInterval
  let retryAfterSeconds: Int
  private let metrics: ServerMetrics
  private let flights = SingleFlight<String, VariantRecord>()
  private let workers: WorkLimiter
  private let admitted = Locked(0)
  private let waiting = Locked(0)
  private let counts = Locked(Counts())

  /// What the jobs did, for tests and logs.
  struct Counts: Sendable, Equatable {
    /// Jobs that ran the pipeline.
    var rendered = 0
    /// Jobs that found the thumbnail stored by the time they started.
    var cached = 0
    var failed = 0
    /// Requests refused because the queue was full.
    var rejected = 0
  }

  init(
    prefetcher: Prefetcher, queueLimit: Int, workers: Int, deadline: TimeInterval,
    retryAfterSeconds: Int, metrics: ServerMetrics
  ) {
    self.prefetcher = prefetcher
    self.queueLimit = queueLimit
    self.deadline = deadline
    self.retryAfterSeconds = retryAfterSeconds
    self.metrics = metrics
    self.workers = WorkLimiter(limit: max(1, min(workers, queueLimit)))
  }

  var currentCounts: Counts { counts.withLock { $0 } }

  /// Requests waiting for an on-demand thumbnail right now.
  var waitingRequests: Int { waiting.withLock { $0 } }

  /// The stored thumbnail of `spec`, made now if needed. `lookup` re-reads the index once the job
  /// holds a worker (another request may have stored the thumbnail meanwhile).
  func thumbnail(
    for spec: ThumbnailSpec, lookup: @escaping @Sendable () throws -> VariantRecord?
  ) async throws(APIError) -> VariantRecord {
    let key = "\(spec.masterURL)\n\(spec.imageURL)\n\(spec.canonicalKey)"
    waiting.withLock { $0 += 1 }
    defer { waiting.withLock { $0 -= 1 } }
    do {
      return try await Deadline.run(seconds: deadline) {
        try await self.flights.run(key) { try await self.job(spec, lookup: lookup) }
      }
    } catch let error as APIError {
      throw error
    } catch is DeadlineExceeded {
      throw APIError(
        .gatewayTimeout, kind: "deadline",
        message: "the thumbnail of \(spec.imageURL) was not ready within the \(deadline) s "
          + "deadline; it is still being made and will be served from the cache once stored, "
          + "so retry shortly")
    } catch {
      throw APIError.stage(error)
    }
  }

  private func job(
    _ spec: ThumbnailSpec, lookup: @Sendable () throws -> VariantRecord?
  ) async throws -> VariantRecord {
    guard admit() else {
      counts.withLock { $0.rejected += 1 }
      metrics.recordOnDemand("rejected")
      var retryAfter: HTTPFields = [:]
      retryAfter[.retryAfter] = String(retryAfterSeconds)
      throw APIError(
        .serviceUnavailable, kind: "overloaded",
        message: "\(queueLimit) on-demand thumbnails are already queued; retry later",
        headers: retryAfter)
    }
    defer { leave() }
    await workers.acquire()
    do {
      let variant = try await run(spec, lookup: lookup)
      await workers.release()
      return variant
    } catch {
      await workers.release()
      throw error
    }
  }

  private func run(
    _ spec: ThumbnailSpec, lookup: @Sendable () throws -> VariantRecord?
  ) async throws -> VariantRecord {
    if let stored = try lookup() {
      counts.withLock { $0.cached += 1 }
      metrics.recordOnDemand("cached")
      return stored
    }
    do {
      let result = try await prefetcher.thumbnail(for: spec)
      counts.withLock { $0.rendered += 1 }
      metrics.recordOnDemand("rendered")
      return result.variant
    } catch {
      counts.withLock { $0.failed += 1 }
      metrics.recordOnDemand("failed")
      let kind = (error as? any HalftoneError)?.kind.rawValue ?? "internal"
      metrics.recordFetchError(kind: kind)
      throw error
    }
  }

  private func admit() -> Bool {
    let depth = admitted.withLock { count -> Int? in
      guard count < queueLimit else { return nil }
      count += 1
      return count
    }
    guard let depth else { return false }
    metrics.setQueueDepth(depth)
    return true
  }

  private func leave() {
    let depth = admitted.withLock { count -> Int in
      count -= 1
      return count
    }
    metrics.setQueueDepth(depth)
  }
}
