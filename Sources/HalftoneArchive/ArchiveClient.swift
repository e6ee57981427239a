import Foundation
import HalftoneCore
import HalftoneFetch

/// Sends one archive's requests through the shared `Fetcher` (its SSRF guard, byte and time
/// limits), paced by the archive's `ArchivePacer`, retried on the archive's failures.
///
/// The archive's answers (a capture, a 404, a body that is no image) come back as they are; its
/// failures (429, 5xx, no connection) pause the whole archive, are retried up to
/// `ArchiveLimits.maxAttempts`, then end as `archive_unavailable`.
final class ArchiveClient: Sendable {
  let source: ArchiveSource
  let fetcher: Fetcher
  let pacer: ArchivePacer

  init(source: ArchiveSource, fetcher: Fetcher, limits: ArchiveLimits) {
    self.source = source
    self.fetcher = fetcher
    pacer = ArchivePacer(name: source.description, limits: limits)
  }

  var name: String { source.description }
  var limits: ArchiveLimits { pacer.limits }

  /// The response, or the `FetchError` of an answer the archive gave (4xx, not an image, a
  /// redirect off its host, too large); `ArchiveError` when the archive failed.
  ///
  /// `confirms`: a response counts as the archive answering (resetting its failure count);
  /// `false` for an answer the caller still has to read (a CDX body that may not be JSON).
  func send(
    _ request: FetchRequest, lane: ArchivePacer.Lane, sink: (any FetchBodySink)? = nil,
    confirms: Bool = true
  ) async throws -> FetchResponse {
    var request = request
    request.maxAttempts = 1  // retried here, pausing the whole archive
    // Wayback replays stay on the archive's host; a TimeGate may hand its mementos to another
    // host (an aggregator, a CDN), still behind the SSRF guard.
    if case .wayback = source { request.redirectHost = source.host }
    var attempt = 0
    while true {
      attempt += 1
      try await pacer.acquire(lane)
      let error: FetchError
      switch await fetch(request, sink: sink) {
      case .success(let response):
        if confirms { pacer.succeeded() }
        return response
      case .failure(let failed):
        error = failed
      }
      // Abandoned by its caller: says nothing about the archive, and must not be taken for
      // "no capture" either.
      if error.isCancellation { throw CancellationError() }
      guard let failure = Self.archiveFailure(error) else {
        pacer.succeeded()
        throw error
      }
      if failure == .ours { throw error }  // our request, not the archive, is at fault
      let pause =
        error.retryAfter
        ?? Backoff.jittered(afterAttempt: attempt, base: limits.baseBackoff, max: 60)
      pacer.failed(pause: pause, why: error.message)
      if attempt >= limits.maxAttempts || failure == .final {
        throw ArchiveError(
          kind: .archiveUnavailable,
          message: "\(name) failed: \(error.message)"
            + (attempt > 1 ? " (gave up after \(attempt) attempts)" : ""))
      }
    }
  }

  private func fetch(
    _ request: FetchRequest, sink: (any FetchBodySink)?
  ) async -> Result<FetchResponse, FetchError> {
    do throws(FetchError) {
      guard let sink else { return .success(try await fetcher.fetch(request)) }
      return .success(try await fetcher.fetch(request, streamingBodyTo: sink))
    } catch {
      return .failure(error)
    }
  }

  private enum Failure { case transient, final, ours }

  /// Whether `error` is the archive failing rather than answering; `nil` for an answer.
  private static func archiveFailure(_ error: FetchError) -> Failure? {
    switch error.kind {
    case .httpStatus:
      let status = error.httpStatus ?? 0
      return status == 429 || (500..<600).contains(status) ? .transient : nil
    case .connect, .timeout, .network: return .transient
    case .dns, .blockedAddress: return .final
    case .invalidURL, .unsupportedScheme, .internal: return .ours
    default: return nil
    }
  }
}
