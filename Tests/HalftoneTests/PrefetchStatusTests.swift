import Foundation
import Halftone
import HalftoneTestSupport
import XCTest

/// `status` depends on the input and on what the cache held when the run started, never on how
/// the references of one run interleave.
final class PrefetchStatusTests: XCTestCase {
  func testManyReferencesToOneImageAllGetTheSameStatus() async throws {
    let bench = try PrefetchBench()
    bench.origin.route(
      "/same.jpg",
      .always(.ok(Fixtures.photoJPEG(width: 400, height: 300), contentType: "image/jpeg")))
    bench.origin.route(
      "/other.jpg",
      .always(
        .ok(Fixtures.photoJPEG(width: 300, height: 200), contentType: "image/jpeg").delayed(
          by: 0.3)))
    // Few references at a time, so most references to /same.jpg start after its first one has
    // finished: they find its thumbnail in the cache, made by this very run.
    var lines = (0..<24).map { i in
      bench.jsonLine(
        url: bench.origin.url("/same.jpg?width=100"), width: 100, height: 75, title: "s\(i)")
    }
    lines.insert(bench.jsonLine(url: bench.origin.url("/other.jpg"), width: 50, height: 30), at: 12)
    try bench.write("many.jsonl", lines.joined(separator: "\n") + "\n")

    let first = try await bench.run { options, _ in options.concurrency = 2 }
    XCTAssertEqual(first.outcomes.count, 25)
    XCTAssertEqual(
      first.outcomes.map(\.status), Array(repeating: .ok, count: 25),
      "this run made every thumbnail: \(first.outcomes.map(\.status))")
    XCTAssertEqual(bench.origin.requestCount("/same.jpg"), 1)

    let second = try await bench.run { options, _ in options.concurrency = 2 }
    XCTAssertEqual(
      second.outcomes.map(\.status), Array(repeating: .skipped, count: 25),
      "complete before the second run started")
    XCTAssertEqual(bench.origin.requestCount("/same.jpg"), 1, "nothing fetched again")
  }
}
