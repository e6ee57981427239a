import HalftoneCore
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// Body framing, byte limits, content decoding and sniffing.
final class FetcherBodyTests: FetchTestCase {
  func testContentLengthShorterThanBodyYieldsATruncatedBody() async throws {
    // libcurl reads exactly Content-Length bytes and stops: the fetch succeeds with a truncated
    // image, which the imaging stage then reports as corrupt_image.
    let full = pngLike(2000)
    origin.route(
      "/short.png", .always(OriginResponse(body: .declaredLength(full, contentLength: 1000))))
    let response = await success(try makeFetcher(), FetchRequest(url: origin.url("/short.png")))
    XCTAssertEqual(response?.body, full.prefix(1000))
    XCTAssertEqual(response?.format, .png)
  }

  func testContentLengthLongerThanBodyIsNetwork() async throws {
    origin.route(
      "/long.png",
      .always(OriginResponse(body: .declaredLength(pngLike(1000), contentLength: 2000))))
    let error = await failure(try makeFetcher { $0.maxAttempts = 1 }, origin.url("/long.png"))
    XCTAssertEqual(error?.kind, .network)
    XCTAssertTrue(
      error?.message.contains("1000 bytes remaining") ?? false, "\(String(describing: error))")
  }

  func testStreamingBodyOverTheLimitIsAbortedMidStream() async throws {
    // Chunked, no Content-Length: only counting in the write callback can stop it.
    origin.route(
      "/endless.png", .always(OriginResponse(body: .zeros(count: 200_000_000, chunkSize: 65_536))))
    let error = await failure(
      try makeFetcher { $0.maxBytes = 1_000_000 }, origin.url("/endless.png"))
    XCTAssertEqual(error?.kind, .tooLarge)
    XCTAssertTrue(
      error?.message.contains("exceeded the 1000000-byte limit") ?? false,
      "\(String(describing: error))")
    XCTAssertEqual(origin.requestCount("/endless.png"), 1, "too_large is not retried")
    await eventually("the origin to notice the abort") { origin.requestsInFlight == 0 }
    XCTAssertEqual(origin.completedResponseCount("/endless.png"), 0, "the body was cut off")
  }

  func testDeclaredContentLengthOverTheLimitIsRefusedEarly() async throws {
    origin.route("/huge.png", .always(.ok(pngLike(3_000_000), contentType: "image/png")))
    let error = await failure(try makeFetcher { $0.maxBytes = 1_000_000 }, origin.url("/huge.png"))
    XCTAssertEqual(error?.kind, .tooLarge)
    XCTAssertTrue(
      error?.message.contains("declares Content-Length 3000000") ?? false,
      "\(String(describing: error))")
  }

  func testBodyExactlyAtTheLimitIsAccepted() async throws {
    origin.route(
      "/exact.png", .always(OriginResponse(body: .chunked(pngLike(50_000), chunkSize: 999))))
    let response = await success(
      try makeFetcher { $0.maxBytes = 50_000 }, FetchRequest(url: origin.url("/exact.png")))
    XCTAssertEqual(response?.body.count, 50_000)
  }

  func testGzipBombIsTooLarge() async throws {
    let decodedSize = 8_000_000
    let bomb = OriginGzip.bomb(decodedSize: decodedSize, prefix: pngSignature)
    XCTAssertLessThan(bomb.count, 100_000, "small on the wire: only decoded bytes reveal it")
    origin.route("/bomb.png", .always(.gzipped(bomb)))

    let error = await failure(try makeFetcher { $0.maxBytes = 1_000_000 }, origin.url("/bomb.png"))
    XCTAssertEqual(error?.kind, .tooLarge)
    XCTAssertTrue(
      error?.message.contains("after decoding gzip") ?? false, "\(String(describing: error))")

    // Control: with room for it, the same body decodes completely, so the limit (not a broken
    // bomb) is what stopped the first fetch.
    let response = await success(
      try makeFetcher { $0.maxBytes = 16_000_000 }, FetchRequest(url: origin.url("/bomb.png")))
    XCTAssertEqual(response?.body.count, decodedSize)
    XCTAssertEqual(response?.format, .png)
  }

  func testGzipEncodedImageIsDecodedAndCompressionIsNotRequested() async throws {
    origin.route("/gz.png", .always(.gzipped(OriginGzip.stored(tinyPNG))))
    let response = await success(try makeFetcher(), FetchRequest(url: origin.url("/gz.png")))
    XCTAssertEqual(response?.body, tinyPNG)
    XCTAssertEqual(origin.requests("/gz.png").first?.header("Accept-Encoding"), "identity")
  }

  func testHTMLWithStatus200IsNotAnImage() async throws {
    origin.route("/paywall.jpg", .always(.html("<!doctype html><title>Subscribe</title>\n")))
    let error = await failure(try makeFetcher(), origin.url("/paywall.jpg"))
    XCTAssertEqual(error?.kind, .notAnImage)
    XCTAssertEqual(error?.httpStatus, 200)
    let message = error?.message ?? ""
    XCTAssertTrue(message.contains("text/html; charset=utf-8"), message)
    XCTAssertTrue(message.contains("\"<!doctype html><title>Subscribe</title>\\x0A\""), message)
    XCTAssertEqual(origin.requestCount("/paywall.jpg"), 1)
  }

  func testEmptyBodyIsNotAnImage() async throws {
    origin.route("/empty.png", .always(.ok(Data(), contentType: "image/png")))
    let error = await failure(try makeFetcher(), origin.url("/empty.png"))
    XCTAssertEqual(error?.kind, .notAnImage)
    XCTAssertTrue(error?.message.contains("(empty body)") ?? false)
  }

  func testValidatorsAndContentTypeAreReported() async throws {
    origin.route(
      "/v.png",
      .revalidating(tinyPNG, etag: "\"abc\"", lastModified: "Tue, 01 Jan 2030 00:00:00 GMT"))
    let response = await success(try makeFetcher(), FetchRequest(url: origin.url("/v.png")))
    XCTAssertEqual(response?.etag, "\"abc\"")
    XCTAssertEqual(response?.lastModified, "Tue, 01 Jan 2030 00:00:00 GMT")
    XCTAssertEqual(response?.contentType, "image/png")
    XCTAssertEqual(response?.notModified, false)
  }
}
