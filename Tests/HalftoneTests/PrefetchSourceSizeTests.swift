import Foundation
import Halftone
import HalftoneImaging
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// The original's size is recorded even when its header lies beyond the part of the download
/// kept in memory (a TIFF written by libtiff keeps its directory at the end).
final class PrefetchSourceSizeTests: XCTestCase {
  func testASizeFromBeyondTheDownloadsHeadIsReadFromTheStoredFile() async throws {
    let bench = try PrefetchBench()
    let tiff = try VipsImage(buffer: Fixtures.photoJPEG(width: 1200, height: 900)).tiffData()
    XCTAssertGreaterThan(tiff.count, 1 << 20, "bigger than the 256 KiB head")
    XCTAssertThrowsError(
      try Thumbnailer().probe(tiff.prefix(256 << 10)), "the head alone has no readable header")
    bench.origin.route("/scan.tif", .always(.ok(tiff, contentType: "image/tiff")))
    let url = bench.origin.url("/scan.tif")
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 320, height: 240))

    let (summary, _) = try await bench.run()
    XCTAssertEqual(summary.ok, 1)
    let source = try XCTUnwrap(bench.cache.original(forURL: url))
    XCTAssertEqual([source.width, source.height], [1200, 900])
    XCTAssertEqual(source.bytes, tiff.count)
  }
}
