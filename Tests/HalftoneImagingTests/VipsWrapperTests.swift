import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// The libvips wrapper itself: lifetimes, errors, the untrusted-loader block.
final class VipsWrapperTests: XCTestCase {
  /// libvips reads the compressed bytes lazily and never copies them: an image derived from a
  /// load must keep them alive after the loaded image and the caller's Data are gone.
  func testDerivedImagesKeepTheSourceBytesAlive() throws {
    var derived: VipsImage?
    do {
      let jpeg = Fixtures.photoJPEG(width: 640, height: 480)
      let loaded = try VipsImage(buffer: jpeg, options: "access=sequential")
      derived = try loaded.extractArea(x: 10, y: 20, width: 300, height: 200)
        .resized(hscale: 0.5, vscale: 0.5)
    }
    // Churn the allocator so freed bytes would be reused.
    for _ in 0..<64 { _ = Data(repeating: 0xAB, count: 300_000) }
    let pixels = try XCTUnwrap(derived).materialized()
    let reference = try Reference.cropThenResize(
      Reference.decode(Fixtures.photoJPEG(width: 640, height: 480)),
      region: PixelRect(x: 10, y: 20, width: 300, height: 200), width: 150, height: 100)
    XCTAssertEqual(try psnr(pixels, reference), .infinity)
  }

  /// The sub-pixel crop (a Catmull-Rom shift, which reproduces a linear ramp) samples the source at
  /// (X + x, Y + y), and repeats edge pixels past the border.
  func testSubpixelExtractSamplesAtTheFractionalOrigin() throws {
    let (width, height) = (40, 8)
    var ramp: [UInt8] = []
    for y in 0..<height { for x in 0..<width { ramp.append(UInt8(4 * x + 8 * y)) } }
    let image = try VipsImage(pixels: ramp, width: width, height: height, bands: 1, space: .bw)
    let shifted = try image.subpixelExtract(x: 10.25, y: 2.5, width: 16, height: 4).materialized()
    XCTAssertEqual([shifted.width, shifted.height], [16, 4])
    for (x, y) in [(0, 0), (7, 1), (15, 3)] {
      let expected = 4 * (Double(x) + 10.25) + 8 * (Double(y) + 2.5)
      XCTAssertEqual(try shifted.pixel(x: x, y: y)[0], expected, accuracy: 1, "at \(x),\(y)")
    }
    // Past the right edge every tap reads the repeated last column.
    let edge = try image.subpixelExtract(x: 30.5, y: 0, width: 12, height: 1).materialized()
    XCTAssertEqual(try edge.pixel(x: 11, y: 0)[0], 4 * 39, accuracy: 1)
  }

  func testErrorsCarryLibvipsMessage() throws {
    let image = try VipsImage.black(width: 10, height: 10)
    XCTAssertThrowsError(try image.extractArea(x: 5, y: 5, width: 10, height: 10)) { error in
      let vipsError = error as? VipsError
      XCTAssertEqual(vipsError?.operation, "extract_area")
      XCTAssertTrue(vipsError?.message.contains("bad extract area") ?? false, "\(error)")
    }
    // The buffer was taken: the next error does not repeat this one.
    XCTAssertThrowsError(try image.rotated(degrees: 45)) { error in
      XCTAssertFalse((error as? VipsError)?.message.contains("extract") ?? true, "\(error)")
    }
  }

  /// Loaders libvips marks untrusted (SVG, PDF, ImageMagick…) are blocked even when called
  /// directly; the thumbnailer refuses them earlier, from the magic bytes.
  func testUntrustedLoadersAreBlocked() throws {
    let svg = Data(
      (#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">"#
        + #"<rect width="10" height="10"/></svg>"#).utf8)
    XCTAssertThrowsError(try VipsImage(buffer: svg)) { error in
      XCTAssertTrue("\(error)".contains("blocked"), "\(error)")
    }
    XCTAssertThrowsError(try Thumbnailer().probe(svg)) { error in
      XCTAssertEqual((error as? ImagingError)?.kind, .notAnImage)
    }
  }

  func testHeaderFields() throws {
    let jpeg = Fixtures.orientedJPEG(width: 300, height: 200, orientation: 8)
    let image = try VipsImage(buffer: jpeg)
    XCTAssertEqual([image.width, image.height, image.bands, image.orientation], [200, 300, 3, 8])
    XCTAssertEqual(image.colourSpace, .srgb)
    XCTAssertEqual(image.pixelFormat, .uchar)
    XCTAssertTrue(image.hasField("exif-data"))
    XCTAssertFalse(try image.withoutMetadata().hasField("exif-data"))
    XCTAssertTrue(image.hasField("exif-data"), "removing metadata from a copy leaves the original")
    XCTAssertEqual(try VipsImage.loaderName(for: jpeg), "VipsForeignLoadJpegBuffer")
  }
}
