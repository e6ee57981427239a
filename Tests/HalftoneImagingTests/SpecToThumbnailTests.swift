import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// From a CDN URL to a thumbnail: the spec plans, the thumbnailer renders.
final class SpecToThumbnailTests: XCTestCase {
  let seedURL =
    "https://www.gannett-cdn.com/presto/2019/06/01/USAT/photo.jpg"
    + "?crop=3104,2328,x175,y0&quality=50&width=640"

  func testSeedURLRendersTheSeedThumbnail() throws {
    let master = Fixtures.photoJPEG(width: 3279, height: 2328)
    let spec = try ThumbnailSpec.parse(url: seedURL, declaredWidth: 640, declaredHeight: 480)
    let thumbnail = try Thumbnailer().thumbnail(master, spec: spec)
    XCTAssertEqual(thumbnail.format, .jpeg)
    let decoded = try Reference.decode(thumbnail.bytes)
    XCTAssertEqual([decoded.width, decoded.height], [640, 480])
    let reference = try Reference.cropThenResize(
      master, region: PixelRect(x: 175, y: 0, width: 3104, height: 2328), width: 640, height: 480)
    XCTAssertGreaterThanOrEqual(try psnr(decoded, reference), 30)
  }

  /// The same URL on a master too small for its crop: the spec's error, typed, not an imaging one.
  func testCropThatDoesNotFitTheMasterIsTheSpecsError() throws {
    let small = Fixtures.photoJPEG(width: 1600, height: 1200)
    let spec = try ThumbnailSpec.parse(url: seedURL)
    XCTAssertThrowsError(try Thumbnailer().thumbnail(small, spec: spec)) { error in
      guard case .plan(let specError)? = error as? ThumbnailError<SpecError> else {
        return XCTFail("expected the spec's error, got \(error)")
      }
      XCTAssertEqual(specError.kind, .cropOutOfBounds)
    }
  }
}
