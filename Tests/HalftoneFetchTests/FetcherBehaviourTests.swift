import HalftoneCore
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// Revalidation, coalescing, concurrency limits, connection reuse, cancellation and shutdown.
final class FetcherBehaviourTests: FetchTestCase {
  func testConditionalRequestGets304NotModified() async throws {
    origin.route("/photo.png", .revalidating(tinyPNG, etag: "\"v1\""))
    let fetcher = try makeFetcher()
    let first = await success(fetcher, FetchRequest(url: origin.url("/photo.png")))
    XCTAssertEqual(first?.etag, "\"v1\"")

    let byETag = await success(
      fetcher, FetchRequest(url: origin.url("/photo.png"), ifNoneMatch: first?.etag))
    XCTAssertEqual(byETag?.status, 304)
    XCTAssertEqual(byETag?.notModified, true)
    XCTAssertEqual(byETag?.body.count, 0)
    XCTAssertNil(byETag?.format)
    XCTAssertEqual(byETag?.etag, "\"v1\"")
    XCTAssertEqual(origin.requests("/photo.png").last?.header("If-None-Match"), "\"v1\"")

    let byDate = await success(
      fetcher, FetchRequest(url: origin.url("/photo.png"), ifModifiedSince: first?.lastModified))
    XCTAssertEqual(byDate?.notModified, true)

    let stale = await success(
      fetcher, FetchRequest(url: origin.url("/photo.png"), ifNoneMatch: "\"old\""))
    XCTAssertEqual(stale?.notModified, false)
    XCTAssertEqual(stale?.body, tinyPNG)
  }

  func testConcurrentIdenticalFetchesShareOneRequest() async throws {
    let gate = OriginGate()
    origin.route(
      "/shared.png", .always(OriginResponse.ok(tinyPNG, contentType: "image/png").held(by: gate)))
    let fetcher = try makeFetcher()
    let request = FetchRequest(url: origin.url("/shared.png"))
    let results = Task {
      await withTaskGroup(of: FetchResponse?.self) { group in
        for _ in 0..<20 { group.addTask { try? await fetcher.fetch(request) } }
        return await group.reduce(into: []) { $0.append($1) }
      }
    }
    await eventually("20 callers waiting on one flight") { fetcher.waiterCount(for: request) == 20 }
    await eventually("the origin holding the request") { origin.requestsInFlight == 1 }
    gate.open()
    let responses = await results.value
    XCTAssertEqual(responses.count, 20)
    XCTAssertEqual(responses.compactMap { $0?.body }, Array(repeating: tinyPNG, count: 20))
    XCTAssertEqual(origin.requestCount("/shared.png"), 1)

    // The flight is over: a later fetch makes a new request.
    _ = await success(fetcher, request)
    XCTAssertEqual(origin.requestCount("/shared.png"), 2)
  }

  func testPerHostLimitIsRespected() async throws {
    origin.route(
      "/slow.png", .always(OriginResponse.ok(tinyPNG, contentType: "image/png").delayed(by: 0.2)))
    let fetcher = try makeFetcher { $0.maxPerHost = 2 }
    try await fetchAll(fetcher, distinctURLs(10, "/slow.png"))
    XCTAssertEqual(origin.requestCount("/slow.png"), 10)
    XCTAssertLessThanOrEqual(origin.maxRequestsInFlight, 2)
    XCTAssertLessThanOrEqual(origin.maxOpenConnections, 2)
  }

  func testWaitingForASlotDoesNotCountTowardTheTimeout() async throws {
    // 8 responses of 0.3 s through one slot take 2.4 s in all, more than the 2 s timeout; each
    // transfer's clock must start when it gets its slot, not when it was queued (libcurl's own
    // per-host queue would let the last ones time out).
    origin.route(
      "/slow.png", .always(OriginResponse.ok(tinyPNG, contentType: "image/png").delayed(by: 0.3)))
    let fetcher = try makeFetcher {
      $0.maxPerHost = 1
      $0.totalTimeout = 2
      $0.maxAttempts = 1
    }
    try await fetchAll(fetcher, distinctURLs(8, "/slow.png"))
    XCTAssertEqual(origin.requestCount("/slow.png"), 8)
    XCTAssertEqual(origin.maxRequestsInFlight, 1)
  }

  func testGlobalLimitIsRespected() async throws {
    origin.route(
      "/slow.png", .always(OriginResponse.ok(tinyPNG, contentType: "image/png").delayed(by: 0.2)))
    let fetcher = try makeFetcher {
      $0.maxConcurrent = 3
      $0.maxPerHost = 10
    }
    try await fetchAll(fetcher, distinctURLs(10, "/slow.png"))
    XCTAssertEqual(origin.requestCount("/slow.png"), 10)
    XCTAssertLessThanOrEqual(origin.maxRequestsInFlight, 3)
  }

  /// The control for the two tests above: without a tight limit the origin does see overlap, so
  /// `maxRequestsInFlight` can catch a limit that is not applied.
  func testWithARoomyLimitRequestsOverlap() async throws {
    let gate = OriginGate()
    origin.route(
      "/held.png", .always(OriginResponse.ok(tinyPNG, contentType: "image/png").held(by: gate)))
    let fetcher = try makeFetcher { $0.maxPerHost = 10 }
    let urls = distinctURLs(10, "/held.png")
    let all = Task { try await fetchAll(fetcher, urls) }
    await eventually("10 requests in flight at once") { origin.requestsInFlight == 10 }
    gate.open()
    try await all.value
    XCTAssertEqual(origin.maxRequestsInFlight, 10)
  }

  /// Distinct URLs (so single-flight does not coalesce them) for one route.
  private func distinctURLs(_ count: Int, _ path: String) -> [String] {
    (0..<count).map { origin.url("\(path)?n=\($0)") }
  }

  func testUserAgentNamesHalftoneAndConnectionsAreReused() async throws {
    origin.route("/ua.png", .always(.ok(tinyPNG, contentType: "image/png")))
    let fetcher = try makeFetcher()
    for index in 0..<5 {
      _ = await success(fetcher, FetchRequest(url: origin.url("/ua.png?i=\(index)")))
    }
    let agents = origin.requests("/ua.png").compactMap { $0.header("User-Agent") }
    XCTAssertEqual(agents.count, 5)
    XCTAssertTrue(agents.allSatisfy { $0.hasPrefix("Halftone/") }, "\(agents)")
    XCTAssertEqual(origin.acceptedConnections, 1, "keep-alive: one connection for 5 requests")
  }

  func testCancellingTheCallerAbortsTheTransfer() async throws {
    let gate = OriginGate()  // never opened
    origin.route("/stuck.png", .always(OriginResponse.ok(tinyPNG).held(by: gate)))
    let fetcher = try makeFetcher()
    let url = origin.url("/stuck.png")
    let task = Task { () -> FetchError? in
      do {
        _ = try await fetcher.fetch(FetchRequest(url: url))
        return nil
      } catch {
        return error as? FetchError
      }
    }
    await eventually("the request to arrive") { origin.requestsInFlight == 1 }
    task.cancel()
    let error = await task.value
    XCTAssertEqual(error?.isCancellation, true)
    // The origin sees the connection close: the transfer really was aborted, not just forgotten.
    await eventually("the origin to see the client hang up") { origin.requestsInFlight == 0 }
    XCTAssertEqual(origin.requestCount("/stuck.png"), 1)
  }

  func testOneCancelledWaiterDoesNotCancelTheSharedFetch() async throws {
    let gate = OriginGate()
    origin.route(
      "/shared.png", .always(OriginResponse.ok(tinyPNG, contentType: "image/png").held(by: gate)))
    let fetcher = try makeFetcher()
    let request = FetchRequest(url: origin.url("/shared.png"))
    let leaving = Task { try await fetcher.fetch(request) }
    let staying = Task { try await fetcher.fetch(request) }
    await eventually("both callers waiting") { fetcher.waiterCount(for: request) == 2 }
    leaving.cancel()
    await eventually("one caller left") { fetcher.waiterCount(for: request) == 1 }
    gate.open()
    let response = try await staying.value
    XCTAssertEqual(response.body, tinyPNG)
    XCTAssertEqual(origin.requestCount("/shared.png"), 1)
    do {
      _ = try await leaving.value
      XCTFail("the cancelled caller should not get the response")
    } catch let error as FetchError {
      XCTAssertTrue(error.isCancellation)
    }
  }

  func testShutdownFailsFetchesInFlightAndLater() async throws {
    let gate = OriginGate()
    origin.route("/stuck.png", .always(OriginResponse.ok(tinyPNG).held(by: gate)))
    let fetcher = try makeFetcher()
    let url = origin.url("/stuck.png")
    let inFlight = Task { () -> FetchError? in
      do {
        _ = try await fetcher.fetch(FetchRequest(url: url))
        return nil
      } catch { return error as? FetchError }
    }
    await eventually("the request to arrive") { origin.requestsInFlight == 1 }
    fetcher.shutdown()
    let error = await inFlight.value
    XCTAssertEqual(error?.isCancellation, true)
    XCTAssertTrue(error?.message.contains("shut down") ?? false, "\(String(describing: error))")
    let later = await failure(fetcher, origin.url("/stuck.png"))
    XCTAssertEqual(later?.isCancellation, true)
    fetcher.shutdown()  // idempotent
  }

  func testATransferSubmittedRightBeforeShutdownIsAnsweredNotLost() async throws {
    // Submit and shut down back to back, so the transfer thread finds the transfer and the
    // shutdown in one batch: the transfer must still be answered (its caller waits on it).
    origin.route("/slow.png", .always(OriginResponse.ok(tinyPNG).delayed(by: 5)))
    let policy = FetchPolicy.testing()
    let target = try CurlURL(origin.url("/slow.png"))
    for round in 0..<20 {
      let multi = try CurlMulti(maxTotal: 4, maxPerHost: 4)
      let transfer = try CurlTransfer(
        request: FetchRequest(url: origin.url("/slow.png")), target: target, policy: policy)
      let answered = Locked(false)
      let waiter = Task { () -> TransferOutcome in
        let outcome = await withCheckedContinuation { continuation in
          transfer.continuation = continuation
          multi.submit(transfer)
          multi.shutdown()
        }
        answered.withLock { $0 = true }
        return outcome
      }
      // Not a timing assertion: a lost transfer is never answered at all.
      for _ in 0..<400 where !answered.withLock({ $0 }) {
        try await Task.sleep(for: .milliseconds(50))
      }
      guard answered.withLock({ $0 }) else {
        XCTFail("round \(round): the transfer was never answered")
        return
      }
      let outcome = await waiter.value
      XCTAssertEqual(outcome.failure?.isCancellation, true, "round \(round)")
    }
  }

  func testInvalidPolicyIsRefused() {
    XCTAssertThrowsError(try Fetcher(policy: FetchPolicy(maxPerHost: 0))) { error in
      XCTAssertEqual((error as? FetchError)?.kind, .internal)
      XCTAssertTrue((error as? FetchError)?.message.contains("maxPerHost") ?? false)
    }
    XCTAssertThrowsError(try Fetcher(policy: FetchPolicy(totalTimeout: -1)))
    XCTAssertThrowsError(try Fetcher(policy: FetchPolicy(userAgent: "x\r\nEvil: 1")))
  }

  func testHeaderInjectionThroughValidatorsIsRefused() async throws {
    origin.route("/v.png", .revalidating(tinyPNG))
    do {
      _ = try await makeFetcher().fetch(
        FetchRequest(url: origin.url("/v.png"), ifNoneMatch: "\"v1\"\r\nX-Evil: 1"))
      XCTFail("expected a refusal")
    } catch {
      XCTAssertEqual((error as? FetchError)?.kind, .internal)
    }
    XCTAssertEqual(origin.totalRequestCount, 0)
  }
}

/// Fetches every URL concurrently; throws the first failure.
private func fetchAll(_ fetcher: Fetcher, _ urls: [String]) async throws {
  try await withThrowingTaskGroup(of: Void.self) { group in
    for url in urls {
      group.addTask { _ = try await fetcher.fetch(FetchRequest(url: url)) }
    }
    try await group.waitForAll()
  }
}
