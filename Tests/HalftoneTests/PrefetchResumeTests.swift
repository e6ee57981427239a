import Foundation
import Halftone
import HalftoneStore
import HalftoneTestSupport
import XCTest

final class PrefetchResumeTests: XCTestCase {
  /// A second run makes no request for what the first one completed.
  func testSecondRunMakesNoRequests() async throws {
    let bench = try PrefetchBench()
    var lines: [String] = []
    for i in 0..<6 {
      bench.origin.route(
        "/img\(i).jpg", .always(.ok(Fixtures.photoJPEG(width: 900 + i, height: 700))))
      lines.append(
        bench.jsonLine(url: bench.origin.url("/img\(i).jpg?width=300"), width: 300, height: 233))
    }
    try bench.write("a.jsonl", lines.joined(separator: "\n"))
    let first = try await bench.run()
    XCTAssertEqual(first.summary.ok, 6, "\(first.outcomes)")
    let requests = bench.origin.totalRequestCount
    XCTAssertEqual(requests, 6)

    let second = try await bench.run()
    XCTAssertEqual(second.summary.skipped, 6, "\(second.outcomes)")
    XCTAssertEqual(bench.origin.totalRequestCount, requests, "the second run sent requests")
    XCTAssertEqual(
      Set(first.outcomes.map(\.thumbnail)), Set(second.outcomes.map(\.thumbnail)))
  }

  /// `refresh` revalidates with conditional requests; a 304 keeps the stored original.
  func testRefreshRevalidatesWithConditionalRequests() async throws {
    let bench = try PrefetchBench()
    bench.origin.route(
      "/r.jpg",
      .revalidating(Fixtures.photoJPEG(width: 640, height: 480), contentType: "image/jpeg"))
    try bench.write(
      "a.jsonl", bench.jsonLine(url: bench.origin.url("/r.jpg"), width: 320, height: 240))
    _ = try await bench.run()
    let refreshed = try await bench.run { options, _ in options.refresh = true }
    XCTAssertEqual(refreshed.summary.ok, 1, "\(refreshed.outcomes)")
    let requests = bench.origin.requests("/r.jpg")
    XCTAssertEqual(requests.count, 2)
    XCTAssertEqual(requests.last?.header("If-None-Match"), "\"v1\"")
  }

  /// One image URL in many records → one request; two URLs with identical bytes → one blob.
  func testDuplicatesAreFetchedAndStoredOnce() async throws {
    let bench = try PrefetchBench()
    let bytes = Fixtures.photoJPEG(width: 1000, height: 750)
    bench.origin.route("/same.jpg", .always(.ok(bytes)))
    bench.origin.route("/copy.jpg", .always(.ok(bytes)))
    var lines: [String] = []
    for i in 0..<10 {
      lines.append(
        bench.jsonLine(
          url: bench.origin.url("/same.jpg?width=\(200 + i)"), width: 200 + i, height: 150))
    }
    lines.append(
      bench.jsonLine(url: bench.origin.url("/copy.jpg?width=200"), width: 200, height: 150))
    try bench.write("a.jsonl", lines.joined(separator: "\n"))
    let run = try await bench.run()
    XCTAssertEqual(run.summary.ok, 11, "\(run.outcomes)")
    XCTAssertEqual(bench.origin.requestCount("/same.jpg"), 1)
    XCTAssertEqual(bench.origin.requestCount("/copy.jpg"), 1)
    XCTAssertEqual(Set(run.outcomes.compactMap(\.original?.digest)).count, 1)
    // 10 distinct sizes of one original, and the copy's 200×150 equals the first one's.
    XCTAssertEqual(Set(run.outcomes.compactMap(\.thumbnail?.digest)).count, 10)
    let verify = try bench.cache.verify(repair: false)
    XCTAssertTrue(verify.isClean)
    XCTAssertEqual(verify.checked.count, 11)
  }
}
