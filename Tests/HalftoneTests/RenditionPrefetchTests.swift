import Foundation
import Halftone
import HalftoneTestSupport
import XCTest

/// A rendition URL (WordPress's `name-1024x683.jpg`) is thumbnailed from its master when the
/// master exists, and from the URL as written when it does not.
final class RenditionPrefetchTests: XCTestCase {
  func testTheMasterIsFetchedFirstAndTheRenditionWhenTheMasterIsMissing() async throws {
    let bench = try PrefetchBench()
    let master = Fixtures.photoJPEG(width: 1600, height: 1200)
    let rendition = Fixtures.photoJPEG(width: 1024, height: 768)
    let o = bench.origin
    o.route(
      "/wp-content/uploads/2024/05/harbour.jpg", .always(.ok(master, contentType: "image/jpeg")))
    o.route(
      "/wp-content/uploads/2024/05/harbour-1024x768.jpg",
      .always(.ok(rendition, contentType: "image/jpeg")))
    o.route(
      "/wp-content/uploads/2024/05/lost-1024x768.jpg",
      .always(.ok(rendition, contentType: "image/jpeg")))
    let found = o.url("/wp-content/uploads/2024/05/harbour-1024x768.jpg")
    let fallback = o.url("/wp-content/uploads/2024/05/lost-1024x768.jpg")
    try bench.write(
      "a.jsonl",
      [found, fallback].map { bench.jsonLine(url: $0, width: 400, height: 300) }
        .joined(separator: "\n") + "\n")
    let run = try await bench.run()

    let fromMaster = try XCTUnwrap(run.outcomes.one(url: found))
    XCTAssertEqual(fromMaster.status, .ok, "\(fromMaster)")
    XCTAssertEqual(fromMaster.original?.url, o.url("/wp-content/uploads/2024/05/harbour.jpg"))
    XCTAssertEqual(o.requestCount("/wp-content/uploads/2024/05/harbour-1024x768.jpg"), 0)

    let fromRendition = try XCTUnwrap(run.outcomes.one(url: fallback))
    XCTAssertEqual(fromRendition.status, .ok, "\(fromRendition)")
    XCTAssertEqual(fromRendition.original?.url, fallback, "the master answered 404")
    XCTAssertEqual(o.requestCount("/wp-content/uploads/2024/05/lost.jpg"), 1)
    XCTAssertEqual(fromRendition.thumbnail?.width, 400)
  }
}
