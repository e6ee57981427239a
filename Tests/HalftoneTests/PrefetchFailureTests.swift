import Foundation
import Halftone
import HalftoneCore
import HalftoneTestSupport
import XCTest

/// Every kind of failure ends in a report line with its kind, and the rest of the run goes on.
final class PrefetchFailureTests: XCTestCase {
  func testEachFailureIsReportedWithItsKindAndTheRestSucceeds() async throws {
    let bench = try PrefetchBench()
    let good = Fixtures.photoJPEG(width: 800, height: 600)
    let o = bench.origin
    o.route("/good.jpg", .always(.ok(good, contentType: "image/jpeg")))
    o.route("/missing.jpg", .always(.status(404)))
    o.route("/flaky.jpg", .sequence([.status(500), .ok(good, contentType: "image/jpeg")]))
    o.route("/page.jpg", .always(.html("<html><body>Not here</body></html>")))
    o.route("/truncated.jpg", .always(.ok(good.prefix(good.count / 2), contentType: "image/jpeg")))
    o.route("/reset.jpg", .always(.reset))
    o.route("/loop", .always(.redirect(to: o.url("/loop"))))
    o.route("/huge.jpg", .always(OriginResponse(body: .zeros(count: 5_000_000, chunkSize: 65536))))
    o.route("/bomb.png", .always(.gzipped(OriginGzip.bomb(decodedSize: 5_000_000))))
    o.route("/tiny.jpg", .always(.ok(Fixtures.photoJPEG(width: 200, height: 100))))

    let cases: [(url: String, width: Int?, height: Int?, kind: ErrorKind?)] = [
      (o.url("/good.jpg"), 400, 300, nil),
      (o.url("/missing.jpg"), 400, 300, .httpStatus),
      (o.url("/flaky.jpg"), 400, 300, nil),
      (o.url("/page.jpg"), 400, 300, .notAnImage),
      (o.url("/truncated.jpg"), 400, 300, .corruptImage),
      (o.url("/reset.jpg"), 400, 300, nil),  // kind checked below: a connection-level failure
      (o.url("/loop"), 400, 300, .tooManyRedirects),
      (o.url("/huge.jpg"), 400, 300, .tooLarge),
      (o.url("/bomb.png"), 400, 300, .tooLarge),
      (o.url("/tiny.jpg?crop=900,900,x0,y0&width=100"), 100, 100, .cropOutOfBounds),
      (o.url("/tiny.jpg?width=0"), nil, nil, .invalidSpec),
      ("file:///etc/passwd", 400, 300, .unsupportedScheme),
      ("ftp://files.example/raw/podium.tif", 640, 480, .unsupportedScheme),
      ("", 640, 480, .invalidURL),
    ]
    let lines = cases.map { bench.jsonLine(url: $0.url, width: $0.width, height: $0.height) }
    try bench.write("cases.jsonl", lines.joined(separator: "\n") + "\n{not json\n")
    try bench.write("broken.md", "---\ntitle: [unclosed\nimages:\n  - url: x\n---\n")

    let (summary, outcomes) = try await bench.run { _, policy in
      policy.maxBytes = 1_000_000
      policy.maxRedirects = 3
    }
    for c in cases {
      guard let outcome = outcomes.one(url: c.url) else { continue }
      if let kind = c.kind {
        XCTAssertEqual(outcome.status, .failed, "\(c.url): \(outcome)")
        XCTAssertEqual(outcome.errorKind, kind, "\(c.url): \(outcome.error ?? "")")
        XCTAssertFalse((outcome.error ?? "").isEmpty)
      } else if c.url.hasSuffix("/reset.jpg") {
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertTrue([.connect, .network].contains(outcome.errorKind), "\(outcome)")
      } else {
        XCTAssertEqual(outcome.status, .ok, "\(c.url): \(outcome)")
      }
    }
    // Bad records: the JSON line and the YAML front matter, each with its file and line.
    let problems = outcomes.filter { $0.errorKind == .invalidRecord }
    XCTAssertEqual(problems.count, 2, "\(problems)")
    XCTAssertTrue(
      problems.contains { $0.record.hasSuffix("cases.jsonl") && $0.line == cases.count + 1 })
    XCTAssertTrue(problems.contains { $0.record.hasSuffix("broken.md") && $0.line >= 1 })
    XCTAssertEqual(summary.ok, 2)
    XCTAssertEqual(summary.references, cases.count + 2)
    // 404 is not retried; 500 is.
    XCTAssertEqual(o.requestCount("/missing.jpg"), 1)
    XCTAssertEqual(o.requestCount("/flaky.jpg"), 2)
    // Nothing was stored for the fetch failures (aborted bodies, HTML, errors). The blobs are: the
    // good and flaky originals (identical bytes: one blob) and their thumbnail (identical: one
    // blob); tiny.jpg's original (it fetched fine, the crop does not fit it); the truncated
    // original as served (marked failed in the index, so the next run fetches it again).
    let verify = try bench.cache.verify(repair: false)
    XCTAssertTrue(verify.isClean, "\(verify)")
    XCTAssertEqual(verify.checked.count, 4, "\(verify)")
    let truncated = try XCTUnwrap(try bench.cache.originalStatus(forURL: o.url("/truncated.jpg")))
    XCTAssertEqual(truncated.lastErrorKind, .corruptImage)
  }
}
