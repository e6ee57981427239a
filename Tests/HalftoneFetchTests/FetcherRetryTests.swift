import HalftoneCore
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// Which failures are retried, how often, and how long the fetcher waits.
final class FetcherRetryTests: FetchTestCase {
  func testNotFoundFailsWithHTTPStatusAndIsNotRetried() async throws {
    origin.route("/missing.png", .always(.status(404)))
    let fetcher = try makeFetcher()
    let error = await failure(fetcher, origin.url("/missing.png"))
    XCTAssertEqual(error?.kind, .httpStatus)
    XCTAssertEqual(error?.httpStatus, 404)
    XCTAssertTrue(
      error?.message.contains("HTTP 404 Not Found") ?? false, "\(String(describing: error))")
    XCTAssertEqual(origin.requestCount("/missing.png"), 1)
  }

  func testServerErrorThenSuccessIsRetried() async throws {
    origin.route("/flaky.png", .sequence([.status(500), .ok(tinyPNG, contentType: "image/png")]))
    let fetcher = try makeFetcher()
    let response = await success(fetcher, FetchRequest(url: origin.url("/flaky.png")))
    XCTAssertEqual(response?.status, 200)
    XCTAssertEqual(response?.attempts, 2)
    XCTAssertEqual(response?.body, tinyPNG)
    XCTAssertEqual(response?.format, .png)
    XCTAssertEqual(origin.requestCount("/flaky.png"), 2)
  }

  func testPersistentServerErrorGivesUpAfterMaxAttempts() async throws {
    origin.route("/down.png", .always(.status(503)))
    let fetcher = try makeFetcher { $0.maxAttempts = 3 }
    let error = await failure(fetcher, origin.url("/down.png"))
    XCTAssertEqual(error?.kind, .httpStatus)
    XCTAssertEqual(error?.httpStatus, 503)
    XCTAssertTrue(error?.message.contains("gave up after 3 attempts") ?? false)
    XCTAssertEqual(origin.requestCount("/down.png"), 3)
  }

  func testTooManyRequestsWaitsForRetryAfter() async throws {
    origin.route(
      "/busy.png", .sequence([.retryAfter("1"), .ok(tinyPNG, contentType: "image/png")]))
    // Backoff alone would wait at most 0.05 s: only honouring Retry-After explains a 1 s gap.
    let fetcher = try makeFetcher { $0.maxBackoff = 0.05 }
    let response = await success(fetcher, FetchRequest(url: origin.url("/busy.png")))
    XCTAssertEqual(response?.attempts, 2)
    let arrivals = origin.requests("/busy.png").map(\.receivedAt)
    XCTAssertEqual(arrivals.count, 2)
    if arrivals.count == 2 {
      XCTAssertGreaterThanOrEqual(arrivals[1].timeIntervalSince(arrivals[0]), 0.9)
    }
  }

  func testRetryAfterAsHTTPDateIsHonoured() async throws {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    // Whole seconds: 3 s ahead is 2 to 3 s ahead once written as an HTTP-date.
    let soon = formatter.string(from: Date(timeIntervalSinceNow: 3))
    let retryAt = try XCTUnwrap(formatter.date(from: soon))
    origin.route(
      "/busy.png",
      .sequence([.retryAfter(soon, status: 503), .ok(tinyPNG, contentType: "image/png")]))
    // Backoff alone would wait at most 0.05 s: only reading the date explains a gap of seconds.
    let fetcher = try makeFetcher { $0.maxBackoff = 0.05 }
    let response = await success(fetcher, FetchRequest(url: origin.url("/busy.png")))
    XCTAssertEqual(response?.attempts, 2)
    let arrivals = origin.requests("/busy.png").map(\.receivedAt)
    XCTAssertEqual(arrivals.count, 2)
    if arrivals.count == 2 {
      let gap = arrivals[1].timeIntervalSince(arrivals[0])
      XCTAssertGreaterThanOrEqual(gap, 1.5, "the retry came before the date it was given")
      XCTAssertGreaterThanOrEqual(
        arrivals[1].timeIntervalSince(retryAt), -0.25, "the retry came before \(soon)")
    }
  }

  func testRetryAfterOverTheCapFailsAtOnce() async throws {
    origin.route("/later.png", .always(.retryAfter("3600")))
    let fetcher = try makeFetcher { $0.maxRetryAfter = 60 }
    let error = await failure(fetcher, origin.url("/later.png"))
    XCTAssertEqual(error?.kind, .httpStatus)
    XCTAssertEqual(error?.httpStatus, 429)
    XCTAssertTrue(error?.message.contains("Retry-After \"3600\" is over the 60 s limit") ?? false)
    XCTAssertEqual(origin.requestCount("/later.png"), 1)
  }

  func testOtherClientErrorsAreNotRetried() async throws {
    for status in [400, 401, 403, 410] {
      origin.route("/e\(status)", .always(.status(status)))
      let error = await failure(try makeFetcher(), origin.url("/e\(status)"))
      XCTAssertEqual(error?.kind, .httpStatus)
      XCTAssertEqual(error?.httpStatus, status)
      XCTAssertEqual(origin.requestCount("/e\(status)"), 1, "status \(status)")
    }
  }

  func testTimeoutIsRetriedThenReported() async throws {
    origin.route("/hang.png", .always(OriginResponse.ok(tinyPNG).delayed(by: 60)))
    let fetcher = try makeFetcher {
      $0.totalTimeout = 0.5
      $0.maxAttempts = 2
    }
    let error = await failure(fetcher, origin.url("/hang.png"))
    XCTAssertEqual(error?.kind, .timeout)
    XCTAssertTrue(error?.message.contains("timed out") ?? false, "\(String(describing: error))")
    XCTAssertEqual(origin.requestCount("/hang.png"), 2)
  }

  func testSlowDripHitsTheLowSpeedLimit() async throws {
    // 8 bytes every 0.25 s: 32 B/s, far under 1024 B/s; the body would take an hour to arrive.
    origin.route(
      "/drip.png",
      .always(OriginResponse(body: .drip(pngLike(100_000), bytesPerTick: 8, interval: 0.25))))
    let fetcher = try makeFetcher {
      $0.lowSpeedLimit = 1024
      $0.lowSpeedTime = 1
      $0.totalTimeout = 120
      $0.maxAttempts = 1
    }
    let error = await failure(fetcher, origin.url("/drip.png"))
    XCTAssertEqual(error?.kind, .timeout)
    XCTAssertTrue(error?.message.contains("too slow") ?? false, "\(String(describing: error))")
  }

  func testConnectionResetIsRetriedThenReportedAsNetwork() async throws {
    origin.route("/reset.png", .always(.reset))
    let fetcher = try makeFetcher { $0.maxAttempts = 2 }
    let error = await failure(fetcher, origin.url("/reset.png"))
    XCTAssertEqual(error?.kind, .network)
    XCTAssertTrue(
      error?.message.contains("Connection reset by peer") ?? false, "\(String(describing: error))")
    XCTAssertEqual(origin.requestCount("/reset.png"), 2)
  }

  func testEmptyReplyIsNetwork() async throws {
    origin.route("/empty.png", .always(.closeWithoutResponse))
    let error = await failure(try makeFetcher { $0.maxAttempts = 1 }, origin.url("/empty.png"))
    XCTAssertEqual(error?.kind, .network)
    XCTAssertTrue(error?.message.contains("Empty reply") ?? false, "\(String(describing: error))")
  }

  func testConnectionRefusedIsConnect() async throws {
    let closed = try OriginServer()
    let url = closed.url("/gone.png")
    closed.stop()  // nothing listens on that port any more
    let error = await failure(try makeFetcher { $0.maxAttempts = 2 }, url)
    XCTAssertEqual(error?.kind, .connect)
    XCTAssertTrue(error?.message.contains("gave up after 2 attempts") ?? false)
  }
}
