import Foundation
import Halftone
import HalftoneCore
import HalftoneSpec
import HalftoneStore
import Hummingbird

/// Makes missing thumbnails while a request waits, through the resolver (`ImagePipeline`) that
/// `halftone prefetch` uses: fetch the original, render, store.
///
/// Bounded three ways: identical requests share one job (`Coalescer` per reference and spec key:
/// 100 concurrent requests for one thumbnail are one fetch and one render, and take one queue
/// slot); at most `queueLimit` jobs are admitted (running plus waiting), more are refused at once
/// with `overloaded` (HTTP 503 + `Retry-After`); at most `workers` jobs run at once
/// (`WorkLimiter`).
///
/// Waiting ends three ways. The job ends: every request waiting for it gets its answer. The
/// request's deadline passes: it gets 504, and the job is detached so that it still stores its
/// result for the next request (bounded by the fetch policy's timeouts). The client hangs up:
/// its waiter leaves at once; when no request waits any more, the job is cancelled (a fetch in
/// flight is aborted, a render's result is not stored).
final class OnDemandRenderer: Sendable {
  let pipeline: ImagePipeline
  let queueLimit: Int
  let deadline: TimeInterval
  let retryAfterSeconds: Int
  private let metrics: ServerMetrics
  private let jobs = Coalescer<String, ResolvedThumbnail>()
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
    /// Jobs cancelled because every request waiting for them left.
    var cancelled = 0
  }

  init(
    pipeline: ImagePipeline, queueLimit: Int, workers: Int, deadline: TimeInterval,
    retryAfterSeconds: Int, metrics: ServerMetrics
  ) {
    self.pipeline = pipeline
    self.queueLimit = queueLimit
    self.deadline = deadline
    self.retryAfterSeconds = retryAfterSeconds
    self.metrics = metrics
    self.workers = WorkLimiter(limit: max(1, min(workers, queueLimit)))
  }

  var currentCounts: Counts { counts.withLock { $0 } }

  /// Requests waiting for an on-demand thumbnail right now.
  var waitingRequests: Int { waiting.withLock { $0 } }

  /// Jobs running or queued right now.
  var jobCount: Int { jobs.jobCount }

  /// The stored thumbnail of `spec`, made now if needed. Throws `CancellationError` when the
  /// calling task is cancelled (its client left).
  func thumbnail(for spec: ThumbnailSpec) async throws -> ResolvedThumbnail {
    let key = "\(spec.masterURL)\n\(spec.imageURL)\n\(spec.canonicalKey)"
    waiting.withLock { $0 += 1 }
    defer { waiting.withLock { $0 -= 1 } }
    do {
      let jobs = self.jobs
      return try await Deadline.run(
        seconds: deadline, onExpiry: { jobs.detach(key) },
        { try await jobs.run(key) { try await self.job(spec) } })
    } catch let error as APIError {
      throw error
    } catch is DeadlineExceeded {
      throw APIError(
        .gatewayTimeout, kind: "deadline",
        message: "the thumbnail of \(spec.imageURL) was not ready within the \(deadline) s "
          + "deadline; it is still being made and will be served from the cache once stored, "
          + "so retry shortly")
    } catch let error as CancellationError {
      throw error
    } catch {
      throw APIError.stage(error)
    }
  }

  private func job(_ spec: ThumbnailSpec) async throws -> ResolvedThumbnail {
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
    do {
      return try await workers.withSlot { try await run(spec) }
    } catch is CancellationError {
      counts.withLock { $0.cancelled += 1 }
      metrics.recordOnDemand("cancelled")
      throw CancellationError()
    }
  }

  private func run(_ spec: ThumbnailSpec) async throws -> ResolvedThumbnail {
    do {
      let resolved = try await pipeline.thumbnail(for: spec)
      counts.withLock { counts in
        if resolved.madeNow { counts.rendered += 1 } else { counts.cached += 1 }
      }
      metrics.recordOnDemand(resolved.madeNow ? "rendered" : "cached")
      return resolved
    } catch {
      if Task.isCancelled { throw CancellationError() }
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
