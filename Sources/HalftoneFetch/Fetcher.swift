import Foundation
import HalftoneCore

/// Fetches original images over HTTP(S) with libcurl: bounded in concurrency, time and size,
/// retried with backoff, guarded against SSRF, coalescing identical concurrent requests.
///
/// One `Fetcher` owns one libcurl multi handle and its thread; share it (it is `Sendable`) rather
/// than making one per request, so connections and DNS lookups are reused. Call `shutdown()` when
/// done (deinit does it too).
public final class Fetcher: Sendable {
  public let policy: FetchPolicy
  private let multi: CurlMulti
  private let flights = Coalescer<FetchRequest, FetchResponse>()

  /// Fails with `internal` when a limit in `policy` makes no sense or libcurl cannot start.
  public init(policy: FetchPolicy = FetchPolicy()) throws(FetchError) {
    if let problem = policy.problem() {
      throw FetchError(kind: .internal, message: "invalid FetchPolicy: \(problem)", url: "")
    }
    self.policy = policy
    multi = try CurlMulti(maxTotal: policy.maxConcurrent, maxPerHost: policy.maxPerHost)
  }

  deinit { multi.shutdown() }

  /// Fetches `request.url`, following redirects and retrying transient failures, and returns an
  /// image body (its format sniffed from its bytes) or, for a conditional request the server
  /// answered with 304, `notModified`.
  ///
  /// Concurrent calls with an equal request share one transfer and one result. Cancelling the
  /// calling task abandons the fetch (`isCancellation`); the transfer is aborted once no caller
  /// waits for it.
  public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
    do {
      return try await flights.run(request) { [self] in try await fetchWithRetries(request).get() }
    } catch let error as FetchError {
      throw error
    } catch {
      throw .cancelled(request.url)  // the caller left (CancellationError)
    }
  }

  /// Like `fetch(_:)`, but the body goes to `sink` as it arrives rather than into memory: the
  /// response's `body` holds only its head (format sniffing, image header) and `bodyBytes` its
  /// size. Not coalesced with concurrent fetches of the same request (each has its own sink): the
  /// caller makes sure it fetches a URL once at a time. On failure the sink holds a partial or
  /// irrelevant body: discard it.
  public func fetch(
    _ request: FetchRequest, streamingBodyTo sink: any FetchBodySink
  ) async throws(FetchError) -> FetchResponse {
    try await fetchWithRetries(request, sink: sink).get()
  }

  /// Stops the transfer thread; fetches in flight fail with `isCancellation`, later ones at once.
  public func shutdown() { multi.shutdown() }

  /// Callers waiting on `request` right now (tests use it to line up concurrent callers).
  func waiterCount(for request: FetchRequest) -> Int { flights.waiterCount(for: request) }

  // MARK: Attempts

  private func fetchWithRetries(
    _ request: FetchRequest, sink: (any FetchBodySink)? = nil
  ) async -> Result<FetchResponse, FetchError> {
    let target: CurlURL
    do { target = try CurlURL(request.url) } catch { return .failure(error) }
    var attempt = 0
    while true {
      attempt += 1
      let outcome = await attemptOnce(request, target, sink: sink)
      switch ResponseVerdict(outcome, request: request, attempt: attempt, policy: policy) {
      case .success(let response):
        return .success(response)
      case .failure(let error):
        return .failure(error)
      case .retry(let delay, let error):
        guard attempt < (request.maxAttempts ?? policy.maxAttempts) else {
          var final = error
          if attempt > 1 { final.message += " (gave up after \(attempt) attempts)" }
          return .failure(final)
        }
        do {
          if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) }
        } catch {
          return .failure(.cancelled(request.url))
        }
      }
    }
  }

  private func attemptOnce(
    _ request: FetchRequest, _ target: CurlURL, sink: (any FetchBodySink)?
  ) async -> TransferOutcome {
    let transfer: CurlTransfer
    do {
      transfer = try CurlTransfer(
        request: request, target: target, policy: policy, sink: sink,
        unpause: { [multi] in multi.unpause($0) })
    } catch {
      return TransferOutcome(failure: error, effectiveURL: request.url)
    }
    let outcome = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        transfer.continuation = continuation
        multi.submit(transfer)
      }
    } onCancel: {
      transfer.markCancelled()
      multi.cancel(transfer)
    }
    transfer.settleBody()
    return outcome
  }
}
