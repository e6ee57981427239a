import HalftoneCore
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// The SSRF guard, schemes and redirects.
final class FetcherGuardTests: FetchTestCase {
  func testGuardBlocksLoopbackBeforeAnyRequestReachesTheOrigin() async throws {
    origin.route("/img.png", .always(.ok(tinyPNG, contentType: "image/png")))
    let guarded = try Fetcher(policy: FetchPolicy(connectTimeout: 5, totalTimeout: 20))
    let error = await failure(guarded, origin.url("/img.png"))
    XCTAssertEqual(error?.kind, .blockedAddress)
    XCTAssertTrue(
      error?.message.contains("127.0.0.1 (loopback 127.0.0.0/8)") ?? false,
      "\(String(describing: error))")
    XCTAssertEqual(origin.totalRequestCount, 0)
    XCTAssertEqual(origin.acceptedConnections, 0, "not even a TCP connection may be opened")

    let byName = await failure(guarded, "http://localhost:\(origin.port)/img.png")
    XCTAssertEqual(byName?.kind, .blockedAddress)
    XCTAssertEqual(origin.acceptedConnections, 0)
  }

  func testGuardBlocksARedirectToAnInternalAddress() async throws {
    // The origin itself must be reachable, so exempt exactly 127.0.0.1; its redirect then
    // points at other loopback addresses, which the guard must refuse at connect time.
    let loopback = try XCTUnwrap(IPAddress("127.0.0.1"))
    let fetcher = try Fetcher(
      policy: FetchPolicy(connectTimeout: 5, totalTimeout: 20, allowedAddresses: [loopback]))
    origin.route("/img.png", .always(.ok(tinyPNG, contentType: "image/png")))
    origin.route("/to-127-0-0-2", .always(.redirect(to: "http://127.0.0.2:\(origin.port)/img.png")))
    origin.route("/to-v6-loopback", .always(.redirect(to: "http://[::1]:\(origin.port)/img.png")))
    origin.route(
      "/to-mapped", .always(.redirect(to: "http://[::ffff:127.0.0.3]:\(origin.port)/img.png")))

    let direct = await success(fetcher, FetchRequest(url: origin.url("/img.png")))
    XCTAssertEqual(direct?.format, .png, "the exempt origin itself is reachable")

    for (path, address) in [
      ("/to-127-0-0-2", "127.0.0.2"), ("/to-v6-loopback", "::1"), ("/to-mapped", "127.0.0.3"),
    ] {
      let error = await failure(fetcher, origin.url(path))
      XCTAssertEqual(error?.kind, .blockedAddress, path)
      XCTAssertTrue(error?.message.contains(address) ?? false, "\(String(describing: error))")
      XCTAssertTrue(
        error?.message.contains("redirected to") ?? false, "\(String(describing: error))")
      XCTAssertEqual(origin.requestCount(path), 1, "blocked, not retried")
    }
    XCTAssertEqual(origin.requestCount("/img.png"), 1, "only the direct fetch arrived")
  }

  func testGuardBlocksARedirectTo127_0_0_1() async throws {
    // A second origin on 127.0.0.2 plays the exempt "public" host; it redirects to the main
    // origin on 127.0.0.1, which the guard must refuse before a byte reaches it.
    let other: OriginServer
    do { other = try OriginServer(host: "127.0.0.2") } catch {
      throw XCTSkip("cannot listen on 127.0.0.2 here: \(error)")
    }
    defer { other.stop() }
    let exempt = try XCTUnwrap(IPAddress("127.0.0.2"))
    let fetcher = try Fetcher(
      policy: FetchPolicy(connectTimeout: 5, totalTimeout: 20, allowedAddresses: [exempt]))
    origin.route("/img.png", .always(.ok(tinyPNG, contentType: "image/png")))
    other.route("/hop", .always(.redirect(to: origin.url("/img.png"))))

    let error = await failure(fetcher, other.url("/hop"))
    XCTAssertEqual(error?.kind, .blockedAddress)
    XCTAssertTrue(
      error?.message.contains("127.0.0.1 (loopback") ?? false, "\(String(describing: error))")
    XCTAssertEqual(other.requestCount("/hop"), 1)
    XCTAssertEqual(origin.acceptedConnections, 0, "no connection to 127.0.0.1 was opened")
    XCTAssertEqual(origin.totalRequestCount, 0)
  }

  func testNonHTTPSchemesAreRefusedBeforeCurl() async throws {
    let fetcher = try makeFetcher()
    for url in [
      "file:///etc/passwd", "ftp://127.0.0.1:\(origin.port)/img.png", "gopher://127.0.0.1/",
      "dict://127.0.0.1:\(origin.port)/", "FILE:///etc/hosts",
    ] {
      let error = await failure(fetcher, url)
      XCTAssertEqual(error?.kind, .unsupportedScheme, url)
      XCTAssertTrue(error?.message.contains("only http and https") ?? false, url)
    }
    XCTAssertEqual(origin.acceptedConnections, 0)
  }

  func testMalformedURLsAreInvalid() async throws {
    let fetcher = try makeFetcher()
    for url in ["not a url", "http://", "/relative/path.png", "http://exa mple.com/"] {
      let error = await failure(fetcher, url)
      XCTAssertEqual(error?.kind, .invalidURL, url)
    }
    let long = await failure(fetcher, "http://127.0.0.1/" + String(repeating: "a", count: 9000))
    XCTAssertEqual(long?.kind, .invalidURL)
  }

  func testRedirectToFTPIsUnsupportedScheme() async throws {
    origin.route("/to-ftp", .always(.redirect(to: "ftp://127.0.0.1:\(origin.port)/img.png")))
    let error = await failure(try makeFetcher(), origin.url("/to-ftp"))
    XCTAssertEqual(error?.kind, .unsupportedScheme)
    XCTAssertEqual(origin.requestCount("/to-ftp"), 1)
  }

  func testRedirectLoopIsTooManyRedirects() async throws {
    origin.route("/loop", .always(.redirect(to: "/loop")))
    let error = await failure(try makeFetcher { $0.maxRedirects = 5 }, origin.url("/loop"))
    XCTAssertEqual(error?.kind, .tooManyRedirects)
    XCTAssertTrue(error?.message.contains("redirects") ?? false, "\(String(describing: error))")
    XCTAssertEqual(origin.requestCount("/loop"), 6, "the first request and 5 followed redirects")
  }

  func testRedirectChainWithinTheLimitIsFollowed() async throws {
    origin.route("/a", .always(.redirect(to: "/b", status: 301)))
    origin.route("/b", .always(.redirect(to: origin.url("/c"), status: 307)))
    origin.route("/c", .always(.redirect(to: "/final.png", status: 308)))
    origin.route("/final.png", .always(.ok(tinyPNG, contentType: "image/png")))
    let response = await success(
      try makeFetcher { $0.maxRedirects = 3 }, FetchRequest(url: origin.url("/a")))
    XCTAssertEqual(response?.effectiveURL, origin.url("/final.png"))
    XCTAssertEqual(response?.body, tinyPNG)
    XCTAssertEqual(response?.contentType, "image/png")
  }

  func testProxyEnvironmentCannotBypassTheGuard() async throws {
    // A proxy would connect on our behalf; with CURLOPT_PROXY "" libcurl ignores these.
    setenv("http_proxy", "http://127.0.0.1:\(origin.port)", 1)
    setenv("ALL_PROXY", "http://127.0.0.1:\(origin.port)", 1)
    defer {
      unsetenv("http_proxy")
      unsetenv("ALL_PROXY")
    }
    origin.route("/img.png", .always(.ok(tinyPNG, contentType: "image/png")))
    let response = await success(try makeFetcher(), FetchRequest(url: origin.url("/img.png")))
    XCTAssertEqual(response?.body, tinyPNG)
    XCTAssertEqual(
      origin.requests("/img.png").first?.target, "/img.png", "origin-form, not proxy-form")
  }
}
