import HalftoneTestSupport
import XCTest

@testable import HalftoneImaging

/// The generic planner entry point, and the shrink-on-load choice.
final class PlannerAndShrinkTests: XCTestCase {
  struct PlanRefused: HalftoneError {
    var kind: ErrorKind { .invalidSpec }
    var message: String { "no plan for this source" }
  }

  func testPlannerSeesDisplayOrientedInfoAndItsPlanIsRendered() throws {
    let master = Fixtures.orientedJPEG(width: 1200, height: 800, orientation: 8)
    var seen: ImageProbe?
    let plan = ThumbnailPlan(
      region: PixelRect(x: 100, y: 50, width: 800, height: 600), width: 200, height: 150,
      format: .jpeg, quality: 75)
    let thumbnail = try Thumbnailer().thumbnail(master) { (info: ImageProbe) throws(PlanRefused) in
      seen = info
      return plan
    }
    XCTAssertEqual(seen, ImageProbe(width: 1200, height: 800, format: .jpeg, hasAlpha: false))
    XCTAssertEqual(thumbnail, try Thumbnailer().render(master, plan: plan))
  }

  func testPlannerAndImagingErrorsKeepTheirKinds() {
    let master = Fixtures.photoJPEG(width: 400, height: 300)
    XCTAssertThrowsError(
      try Thumbnailer().thumbnail(master) { (_: ImageProbe) throws(PlanRefused) -> ThumbnailPlan in
        throw PlanRefused()
      }
    ) { error in
      XCTAssertEqual((error as? ThumbnailError<PlanRefused>)?.kind, .invalidSpec)
    }
    XCTAssertThrowsError(
      try Thumbnailer().thumbnail(Fixtures.htmlErrorPage) {
        (_: ImageProbe) throws(PlanRefused) -> ThumbnailPlan in
        XCTFail("no planning for HTML")
        throw PlanRefused()
      }
    ) { error in
      XCTAssertEqual((error as? ThumbnailError<PlanRefused>)?.kind, .notAnImage)
    }
  }

  func testJPEGShrinkKeepsTwiceTheOutputSize() {
    func shrink(_ regionWidth: Int, _ regionHeight: Int, to width: Int, _ height: Int) -> Int {
      ShrinkOnLoad.choose(
        format: .jpeg, region: PixelRect(x: 0, y: 0, width: regionWidth, height: regionHeight),
        targetWidth: width, targetHeight: height, storedHeight: regionHeight
      ).jpegShrink
    }
    XCTAssertEqual(shrink(3104, 2328, to: 640, 480), 2)  // the seed: 4.85× → 2
    XCTAssertEqual(shrink(3999, 3999, to: 1000, 1000), 1)
    XCTAssertEqual(shrink(4000, 4000, to: 1000, 1000), 2)
    XCTAssertEqual(shrink(8000, 8000, to: 1000, 1000), 4)
    XCTAssertEqual(shrink(16000, 16000, to: 1000, 1000), 8)
    XCTAssertEqual(shrink(64000, 64000, to: 1000, 1000), 8)
    // The smaller reduction of the two axes decides (forced aspect changes).
    XCTAssertEqual(shrink(8000, 2000, to: 1000, 1000), 1)
    XCTAssertEqual(shrink(100, 100, to: 400, 400), 1)  // upscaling
    XCTAssertEqual(
      ShrinkOnLoad(jpegShrink: 4).loaderOptions, "fail_on=error,access=sequential,shrink=4")
  }

  func testOnlyJPEGAndWebPShrinkOnLoad() {
    let region = PixelRect(x: 0, y: 0, width: 2000, height: 1500)
    let webp = ShrinkOnLoad.choose(
      format: .webp, region: region, targetWidth: 200, targetHeight: 150, storedHeight: 1500)
    // Decoded at the target scale (libwebp's scaler filters by area averaging).
    XCTAssertEqual(webp.webpScale ?? 0, 0.1, accuracy: 1e-9)
    XCTAssertTrue(webp.loaderOptions.hasSuffix(",scale=0.1"))
    for format in [ImageFormat.png, .gif, .tiff, .heif, .avif] {
      XCTAssertEqual(
        ShrinkOnLoad.choose(
          format: format, region: region, targetWidth: 200, targetHeight: 150, storedHeight: 1500),
        ShrinkOnLoad())
    }
  }

  /// The fuzz finding `gif-tall-frame-timeout.gif`: libvips' GIF loader under sequential access
  /// spends seconds dropping its one-line tiles for frames near 50,000 lines tall.
  func testTallGIFsAreOpenedForRandomAccess() {
    func options(_ format: ImageFormat, height: Int) -> String {
      ShrinkOnLoad.choose(
        format: format, region: PixelRect(x: 0, y: 0, width: 1, height: 1), targetWidth: 1,
        targetHeight: 1, storedHeight: height
      ).loaderOptions
    }
    XCTAssertEqual(options(.gif, height: 49_409), "fail_on=error,access=random")
    XCTAssertEqual(options(.gif, height: 8_192), "fail_on=error,access=sequential")
    XCTAssertEqual(options(.png, height: 49_409), "fail_on=error,access=sequential")
  }
}
