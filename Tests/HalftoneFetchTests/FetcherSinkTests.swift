import Foundation
import HalftoneCore
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// Fetches that stream their body to a sink instead of memory.
final class FetcherSinkTests: FetchTestCase {
  /// Collects what it is given; can be told to fail.
  final class CollectingSink: FetchBodySink, @unchecked Sendable {
    private let lock = NSLock()
    private var collected = Data()
    private var restartCount = 0
    private let failAfter: Int?

    init(failAfter bytes: Int? = nil) { failAfter = bytes }

    var bytes: Data { lock.withLock { collected } }
    var restarts: Int { lock.withLock { restartCount } }

    func restart() throws {
      lock.withLock {
        collected.removeAll()
        restartCount += 1
      }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
      try lock.withLock {
        if let failAfter, collected.count + bytes.count > failAfter {
          throw SinkFull(message: "No space left on device (test)")
        }
        collected.append(contentsOf: bytes)
      }
    }
  }

  struct SinkFull: HalftoneError {
    var kind: ErrorKind { .storage }
    var message: String
  }

  func testTheBodyGoesToTheSinkAndOnlyItsHeadStaysInMemory() async throws {
    let body = pngLike(3_000_000)
    origin.route("/big.png", .always(.ok(body, contentType: "image/png")))
    let sink = CollectingSink()
    let response = try await makeFetcher().fetch(
      FetchRequest(url: origin.url("/big.png")), streamingBodyTo: sink)
    XCTAssertEqual(sink.bytes, body, "every byte, in order")
    XCTAssertEqual(response.bodyBytes, body.count)
    XCTAssertEqual(response.body, body.prefix(CurlTransfer.headBytes))
    XCTAssertEqual(response.format, .png)
    XCTAssertEqual(sink.restarts, 1)
  }

  func testARetryStartsTheSinkOver() async throws {
    let body = pngLike(500_000)
    origin.route(
      "/flaky.png",
      .sequence([.text("overloaded", status: 503), .ok(body, contentType: "image/png")]))
    let sink = CollectingSink()
    let response = try await makeFetcher().fetch(
      FetchRequest(url: origin.url("/flaky.png")), streamingBodyTo: sink)
    XCTAssertEqual(response.attempts, 2)
    XCTAssertEqual(sink.restarts, 2, "once before each attempt")
    XCTAssertEqual(sink.bytes, body, "nothing of the 503's body is left")
  }

  func testASinkThatFailsFailsTheFetchWithItsKindAndIsNotRetried() async throws {
    origin.route("/big.png", .always(.ok(pngLike(2_000_000), contentType: "image/png")))
    let sink = CollectingSink(failAfter: 100_000)
    let fetcher = try makeFetcher()
    do {
      _ = try await fetcher.fetch(
        FetchRequest(url: origin.url("/big.png")), streamingBodyTo: sink)
      XCTFail("a full sink must fail the fetch")
    } catch {
      XCTAssertEqual(error.kind, .storage)
      XCTAssertTrue(error.message.contains("could not store the body of"), error.message)
      XCTAssertTrue(error.message.contains("No space left on device"), error.message)
    }
    XCTAssertEqual(origin.requestCount("/big.png"), 1, "a storage failure is not retried")
  }

  func testAPageInsteadOfAnImageIsStillNotAnImageWithItsFullSize() async throws {
    let page = "<!doctype html><html>" + String(repeating: "x", count: 400_000) + "</html>"
    origin.route("/page.png", .always(.html(page)))
    let fetcher = try makeFetcher()
    do {
      _ = try await fetcher.fetch(
        FetchRequest(url: origin.url("/page.png")), streamingBodyTo: CollectingSink())
      XCTFail("HTML is not an image")
    } catch {
      XCTAssertEqual(error.kind, .notAnImage)
      XCTAssertTrue(error.message.contains("with \(page.utf8.count) bytes"), error.message)
    }
  }

  func testTheByteLimitCountsSunkBytes() async throws {
    origin.route(
      "/endless.png", .always(OriginResponse(body: .zeros(count: 50_000_000, chunkSize: 65_536))))
    let sink = CollectingSink()
    let fetcher = try makeFetcher { $0.maxBytes = 1_000_000 }
    do {
      _ = try await fetcher.fetch(
        FetchRequest(url: origin.url("/endless.png")), streamingBodyTo: sink)
      XCTFail("over the limit")
    } catch {
      XCTAssertEqual(error.kind, .tooLarge)
    }
    XCTAssertLessThanOrEqual(sink.bytes.count, 1_000_000)
  }

  func testAnErrorStatusIsReportedEvenWhenTheSinkCouldNotTakeABody() async throws {
    // The body of a 404 is not an image: it is not written, so a full disk cannot hide the
    // status (which decides the fallback to the URL as written, and retries of 5xx).
    origin.route("/gone.png", .always(.text(String(repeating: "n", count: 300_000), status: 404)))
    let sink = CollectingSink(failAfter: 0)
    let fetcher = try makeFetcher()
    do {
      _ = try await fetcher.fetch(FetchRequest(url: origin.url("/gone.png")), streamingBodyTo: sink)
      XCTFail("a 404 must fail")
    } catch {
      XCTAssertEqual(error.kind, .httpStatus, error.message)
      XCTAssertEqual(error.httpStatus, 404)
    }
    XCTAssertEqual(sink.bytes.count, 0)
  }
}
