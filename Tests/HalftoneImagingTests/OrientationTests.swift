import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// Plans give regions in display orientation; masters may be stored turned, with an EXIF tag.
final class OrientationTests: XCTestCase {
  static let display = (width: 1200, height: 800)
  /// Off-centre and asymmetric, so any wrong mapping lands on different content.
  static let region = PixelRect(x: 430, y: 90, width: 600, height: 450)

  /// The region cropped from the upright master and resized the plain way.
  func uprightReference(width: Int, height: Int) throws -> VipsImage {
    let upright = Fixtures.photoJPEG(width: Self.display.width, height: Self.display.height)
    return try Reference.cropThenResize(upright, region: Self.region, width: width, height: height)
  }

  func renderOriented(_ orientation: Int, width: Int = 200, height: Int = 150) throws -> VipsImage {
    let master = Fixtures.orientedJPEG(
      width: Self.display.width, height: Self.display.height, orientation: orientation)
    let plan = ThumbnailPlan(
      region: Self.region, width: width, height: height, format: .png, quality: 90)
    let thumbnail = try Thumbnailer().render(master, plan: plan)
    XCTAssertEqual([thumbnail.width, thumbnail.height], [width, height])
    return try Reference.decode(thumbnail.bytes)
  }

  func testOrientation6CropsTheDisplayedRegion() throws {
    let score = try psnr(renderOriented(6), uprightReference(width: 200, height: 150))
    print("orientation 6 vs upright reference: \(score) dB")
    XCTAssertGreaterThanOrEqual(score, 38)
  }

  func testOrientation8CropsTheDisplayedRegion() throws {
    let score = try psnr(renderOriented(8), uprightReference(width: 200, height: 150))
    print("orientation 8 vs upright reference: \(score) dB")
    XCTAssertGreaterThanOrEqual(score, 38)
  }

  /// All eight tags, at full size (shrink 1) so every mapping is checked without shrink-on-load.
  func testEveryOrientationMapsTheRegion() throws {
    let reference = try uprightReference(width: 600, height: 450)
    for orientation in 1...8 {
      let score = try psnr(renderOriented(orientation, width: 600, height: 450), reference)
      XCTAssertGreaterThanOrEqual(score, 38, "orientation \(orientation): \(score) dB")
    }
  }

  func testProbeReportsDisplaySize() throws {
    let master = Fixtures.orientedJPEG(width: 1200, height: 800, orientation: 6)
    let stored = try VipsImage(buffer: master)
    XCTAssertEqual([stored.width, stored.height, stored.orientation], [800, 1200, 6])
    let info = try Thumbnailer().probe(master)
    XCTAssertEqual([info.width, info.height], [1200, 800])
  }

  /// A fixed orientation overrides the tag: forcing 1 on an orientation-6 master crops the stored
  /// (sideways) pixels.
  func testFixedOrientationOverridesTheTag() throws {
    let master = Fixtures.orientedJPEG(width: 1200, height: 800, orientation: 6)
    let region = PixelRect(x: 100, y: 200, width: 400, height: 300)
    let plan = ThumbnailPlan(
      region: region, width: 200, height: 150, format: .png, quality: 90, orientation: .fixed(1))
    let rendered = try Reference.decode(Thumbnailer().render(master, plan: plan).bytes)
    let stored = try Reference.decode(master)  // no autorot: the stored pixels
    let reference = try Reference.cropThenResize(stored, region: region, width: 200, height: 150)
    XCTAssertGreaterThanOrEqual(try psnr(rendered, reference), 38)
    // The region read in display orientation is different content.
    XCTAssertThrowsError(
      try Thumbnailer().render(
        master,
        plan: ThumbnailPlan(
          region: PixelRect(x: 0, y: 0, width: 1200, height: 800), width: 120, height: 80,
          format: .png, quality: 90, orientation: .fixed(1)))
    ) { error in
      XCTAssertEqual((error as? ImagingError)?.kind, .cropOutOfBounds)
    }
  }
}
