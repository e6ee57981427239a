import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// Every accepted input format renders the right region, in sRGB, at the exact size.
final class ImageFormatTests: XCTestCase {
  static let size = (width: 900, height: 600)
  static let region = PixelRect(x: 150, y: 60, width: 640, height: 480)

  /// The region of the lossless photo, cropped then resized the plain way.
  func reference(width: Int = 320, height: Int = 240) throws -> VipsImage {
    try Reference.cropThenResize(
      Fixtures.photoImage(width: Self.size.width, height: Self.size.height), region: Self.region,
      width: width, height: height)
  }

  func render(
    _ master: Data, region: PixelRect = ImageFormatTests.region, width: Int = 320,
    height: Int = 240, format: OutputFormat = .png
  ) throws -> VipsImage {
    let plan = ThumbnailPlan(
      region: region, width: width, height: height, format: format, quality: 90)
    let thumbnail = try Thumbnailer().render(master, plan: plan)
    let decoded = try Reference.decode(thumbnail.bytes)
    XCTAssertEqual([decoded.width, decoded.height], [width, height])
    return decoded
  }

  func assertMatches(
    _ master: Data, format: ImageFormat, atLeast minimum: Double, file: StaticString = #filePath,
    line: UInt = #line
  ) throws {
    XCTAssertEqual(try Thumbnailer().probe(master).format, format, file: file, line: line)
    let rendered = try render(master)
    XCTAssertEqual(rendered.bands, 3, file: file, line: line)
    let score = try psnr(rendered, reference())
    print("\(format.rawValue) source vs reference: \(score) dB")
    XCTAssertGreaterThanOrEqual(
      score, minimum, "\(format.rawValue): \(score) dB", file: file, line: line)
  }

  func testPNG() throws {
    try assertMatches(Fixtures.photoPNG(width: 900, height: 600), format: .png, atLeast: 45)
  }

  func testTIFF() throws {
    try assertMatches(Fixtures.photoTIFF(width: 900, height: 600), format: .tiff, atLeast: 45)
  }

  func testSixteenBitPNG() throws {
    let master = Fixtures.photoPNG16(width: 900, height: 600)
    let header = try VipsImage(buffer: master)
    XCTAssertEqual(header.pixelFormat, .ushort)
    try assertMatches(master, format: .png, atLeast: 45)
  }

  func testSixteenBitPNGWithAlphaKeepsOpaqueAlpha() throws {
    let master = Fixtures.photoPNG16(width: 900, height: 600, alpha: true)
    XCTAssertTrue(try Thumbnailer().probe(master).hasAlpha)
    let rendered = try render(master)
    XCTAssertEqual([rendered.bands], [4])
    XCTAssertEqual(rendered.pixelFormat, .uchar)
    XCTAssertEqual(try rendered.bands(3).average(), 255, accuracy: 0.01)
    XCTAssertGreaterThanOrEqual(try psnr(rendered.bands(0, count: 3), reference()), 45)
  }

  func testGIFFirstFrame() throws {
    // 256 colours: the palette costs some PSNR (measured 40 dB), a wrong region far more.
    try assertMatches(Fixtures.photoGIF(width: 900, height: 600), format: .gif, atLeast: 34)
  }

  func testWebP() throws {
    try assertMatches(Fixtures.photoWebP(width: 900, height: 600), format: .webp, atLeast: 38)
  }

  /// A large reduction makes the WebP loader scale on decode; the result still matches a full
  /// decode cropped and resized.
  func testWebPScaledOnLoad() throws {
    let master = Fixtures.photoWebP(width: 2400, height: 1800)
    let region = PixelRect(x: 333, y: 121, width: 1600, height: 1200)
    let rendered = try render(master, region: region, width: 200, height: 150)
    let full = try Reference.decode(master)
    let reference = try Reference.cropThenResize(full, region: region, width: 200, height: 150)
    let score = try psnr(rendered, reference)
    print("WebP scaled on load vs full decode: \(score) dB")
    XCTAssertGreaterThanOrEqual(score, 38)
  }

  func testHEIC() throws {
    try assertMatches(Fixtures.photoHEIC(width: 900, height: 600), format: .heif, atLeast: 38)
  }

  func testAVIF() throws {
    try assertMatches(Fixtures.photoAVIF(width: 900, height: 600), format: .avif, atLeast: 36)
  }

  // MARK: Colour

  static let red: [UInt8] = [190, 60, 50]
  static let blue: [UInt8] = [60, 100, 160]

  func assertCMYKComesOutSRGB(embedProfile: Bool) throws {
    let master = Fixtures.cmykJPEG(
      width: 400, height: 200, left: Self.red, right: Self.blue, embedProfile: embedProfile)
    let header = try VipsImage(buffer: master)
    XCTAssertEqual(header.colourSpace, .cmyk)
    XCTAssertEqual(header.bands, 4)
    XCTAssertEqual(header.hasICCProfile, embedProfile)
    for format in [OutputFormat.jpeg, .png] {
      let rendered = try render(
        master, region: PixelRect(x: 0, y: 0, width: 400, height: 200), width: 200, height: 100,
        format: format)
      XCTAssertEqual(rendered.bands, 3)
      XCTAssertEqual(rendered.colourSpace, .srgb)
      XCTAssertFalse(rendered.hasICCProfile, "metadata is stripped")
      let left = try rendered.pixel(x: 50, y: 50)
      let right = try rendered.pixel(x: 150, y: 50)
      print("CMYK (profile \(embedProfile)) → \(format): left \(left) right \(right)")
      for (got, want) in zip(left + right, (Self.red + Self.blue).map(Double.init)) {
        XCTAssertEqual(got, want, accuracy: 8, "CMYK → sRGB \(left) \(right)")
      }
    }
  }

  func testCMYKJPEGWithProfileComesOutSRGB() throws {
    try assertCMYKComesOutSRGB(embedProfile: true)
  }

  func testCMYKJPEGWithoutProfileComesOutSRGB() throws {
    try assertCMYKComesOutSRGB(embedProfile: false)
  }

  /// A wide-gamut (Display P3) PNG: its values differ from sRGB's for the same colour, so only a
  /// render that applies the embedded profile gets the colour back.
  func testDisplayP3ProfileIsConvertedToSRGB() throws {
    let p3 = try Fixtures.twoColourImage(width: 400, height: 200, left: Self.red, right: Self.blue)
      .iccTransformed(to: "p3", from: "srgb")
    let stored = try p3.pixel(x: 50, y: 50)
    XCTAssertGreaterThan(abs(stored[0] - 190) + abs(stored[1] - 60) + abs(stored[2] - 50), 15)
    let master = try p3.pngData(strip: false)
    XCTAssertTrue(try VipsImage(buffer: master).hasICCProfile)
    let rendered = try render(
      master, region: PixelRect(x: 0, y: 0, width: 400, height: 200), width: 200, height: 100)
    for (got, want) in zip(try rendered.pixel(x: 50, y: 50), Self.red.map(Double.init)) {
      XCTAssertEqual(got, want, accuracy: 3, "P3 \(stored) → sRGB")
    }
    XCTAssertFalse(rendered.hasICCProfile)
  }

  func testAlphaIsFlattenedOntoWhiteForJPEG() throws {
    let master = Fixtures.pngWithAlpha(width: 400, height: 200, colour: [30, 120, 200])
    XCTAssertTrue(try Thumbnailer().probe(master).hasAlpha)
    let whole = PixelRect(x: 0, y: 0, width: 400, height: 200)
    let jpeg = try render(master, region: whole, width: 200, height: 100, format: .jpeg)
    XCTAssertEqual(jpeg.bands, 3)
    XCTAssertFalse(jpeg.hasAlpha)
    for (got, want) in zip(try jpeg.pixel(x: 40, y: 50), [30.0, 120, 200]) {
      XCTAssertEqual(got, want, accuracy: 6)
    }
    for got in try jpeg.pixel(x: 160, y: 50) { XCTAssertEqual(got, 255, accuracy: 3) }
    // PNG output keeps the transparency.
    let png = try render(master, region: whole, width: 200, height: 100, format: .png)
    XCTAssertEqual(png.bands, 4)
    XCTAssertEqual(try png.pixel(x: 160, y: 50)[3], 0)
    XCTAssertEqual(try png.pixel(x: 40, y: 50), [30, 120, 200, 255])
  }
}
