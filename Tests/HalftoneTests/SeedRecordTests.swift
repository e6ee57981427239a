import Foundation
import Halftone
import HalftoneImaging
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// The seed record end to end: a Fastly-like origin serves the master for the query-less path
/// and an already-transformed image for the query; Halftone must crop the master itself.
final class SeedRecordTests: XCTestCase {
  static let seedPath = "/presto/2019/11/19/USAT/4673ca8f-AFP_AFP_1LW6JF.JPG"
  static let seedQuery = "?crop=3104,2328,x175,y0&quality=50&width=640"

  func testSeedRecordIsCroppedFromTheMaster() async throws {
    let bench = try PrefetchBench()
    let master = Fixtures.photoJPEG(width: 3279, height: 2328, quality: 92)
    // What Fastly would serve for the query: a different image, so using it would show.
    let transformed = try Fixtures.twoColourImage(
      width: 640, height: 480, left: [255, 0, 0], right: [0, 0, 255])
    bench.origin.route(
      Self.seedPath,
      .always(.ok(master, contentType: "image/jpeg")).withQuery(
        .always(.ok(try transformed.jpegData(quality: 80), contentType: "image/jpeg"))))
    let url = bench.origin.url(Self.seedPath + Self.seedQuery)
    try bench.write(
      "usatoday.md",
      """
      ---
      title: "Why some cities, states and lawmakers want to curb facial recognition technology"
      publishedDateTime: 2019-12-18T00:03:00Z
      sourceUrl: https://www.usatoday.com/story/tech/2019/12/17/face-recognition/2680483001/
      images:
        - url: \(url)
          width: 640
          height: 480
          title: "Why some cities want to curb facial recognition"
      ---
      Body text.
      """)

    let (summary, outcomes) = try await bench.run()
    XCTAssertEqual(summary.ok, 1, "\(outcomes)")
    let outcome = try XCTUnwrap(outcomes.one(url: url))
    XCTAssertEqual(outcome.status, .ok, "\(outcome)")
    XCTAssertEqual(outcome.thumbnail?.width, 640)
    XCTAssertEqual(outcome.thumbnail?.height, 480)
    XCTAssertEqual(outcome.thumbnail?.format, "jpeg")
    XCTAssertEqual(outcome.original?.url, bench.origin.url(Self.seedPath))
    XCTAssertEqual(
      outcome.sourceURL,
      "https://www.usatoday.com/story/tech/2019/12/17/face-recognition/2680483001/")
    XCTAssertEqual(bench.origin.requestCount(target: Self.seedPath), 1)
    XCTAssertEqual(bench.origin.requestCount(target: Self.seedPath + Self.seedQuery), 0)

    let digest = try XCTUnwrap(outcome.thumbnail?.digest)
    let thumbnail = try Reference.decode(try XCTUnwrap(try bench.cache.readBlob(digest)))
    XCTAssertEqual(thumbnail.width, 640)
    XCTAssertEqual(thumbnail.height, 480)
    let reference = try Reference.cropThenResize(
      master, region: PixelRect(x: 175, y: 0, width: 3104, height: 2328), width: 640, height: 480)
    XCTAssertGreaterThanOrEqual(try psnr(thumbnail, reference), 30)
    // The original is stored too, under its own digest.
    let original = try XCTUnwrap(outcome.original?.digest)
    XCTAssertEqual(try bench.cache.readBlob(original), master)
  }

  /// When the master is gone (4xx), the URL as written is fetched; an image that already has the
  /// output size was transformed by the CDN and is not cropped again.
  func testMasterMissingFallsBackToTheURLAsWritten() async throws {
    let bench = try PrefetchBench()
    let served = Fixtures.photoJPEG(width: 640, height: 480, quality: 95)
    bench.origin.route(
      Self.seedPath,
      .always(.status(404)).withQuery(.always(.ok(served, contentType: "image/jpeg"))))
    let url = bench.origin.url(Self.seedPath + Self.seedQuery)
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 640, height: 480))

    let (_, outcomes) = try await bench.run()
    let outcome = try XCTUnwrap(outcomes.one(url: url))
    XCTAssertEqual(outcome.status, .ok, "\(outcome)")
    XCTAssertEqual(outcome.original?.url, url)
    XCTAssertEqual(outcome.thumbnail?.width, 640)
    XCTAssertEqual(outcome.thumbnail?.height, 480)
    let thumbnail = try Reference.decode(
      try XCTUnwrap(try bench.cache.readBlob(XCTUnwrap(outcome.thumbnail?.digest))))
    XCTAssertGreaterThanOrEqual(try psnr(thumbnail, try Reference.decode(served)), 30)
  }

  /// `--fetch as-written` never asks for the master.
  func testAsWrittenModeFetchesTheURLAsGiven() async throws {
    let bench = try PrefetchBench()
    let served = Fixtures.photoJPEG(width: 640, height: 480)
    bench.origin.route(
      Self.seedPath,
      .always(.ok(Fixtures.photoJPEG(width: 3279, height: 2328))).withQuery(.always(.ok(served))))
    let url = bench.origin.url(Self.seedPath + Self.seedQuery)
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 640, height: 480))
    let (_, outcomes) = try await bench.run { options, _ in options.fetchMode = .asWritten }
    let outcome = try XCTUnwrap(outcomes.one(url: url))
    XCTAssertEqual(outcome.status, .ok, "\(outcome)")
    XCTAssertEqual(bench.origin.requestCount(target: Self.seedPath), 0)
    XCTAssertEqual(bench.origin.requestCount(target: Self.seedPath + Self.seedQuery), 1)
  }
}
