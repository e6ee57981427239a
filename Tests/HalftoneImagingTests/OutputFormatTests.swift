import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// Every output format decodes back at the planned size, with the planned content, stripped.
final class OutputFormatTests: XCTestCase {
  static let region = PixelRect(x: 200, y: 100, width: 1200, height: 900)
  var master: Data { Fixtures.orientedJPEG(width: 1600, height: 1200, orientation: 6) }

  func render(_ format: OutputFormat, quality: Int = 80, progressive: Bool = false) throws
    -> (Thumbnail, VipsImage)
  {
    let plan = ThumbnailPlan(
      region: Self.region, width: 400, height: 300, format: format, quality: quality,
      progressive: progressive)
    let thumbnail = try Thumbnailer().render(master, plan: plan)
    XCTAssertEqual(thumbnail.format, format)
    XCTAssertEqual([thumbnail.width, thumbnail.height], [400, 300])
    let decoded = try Reference.decode(thumbnail.bytes)
    XCTAssertEqual([decoded.width, decoded.height, decoded.bands], [400, 300, 3], "\(format)")
    return (thumbnail, decoded)
  }

  func reference() throws -> VipsImage {
    try Reference.cropThenResize(
      Fixtures.photoJPEG(width: 1600, height: 1200), region: Self.region, width: 400, height: 300)
  }

  func assertStripped(_ image: VipsImage, file: StaticString = #filePath, line: UInt = #line) {
    for field in ["exif-data", "icc-profile-data", "xmp-data", "orientation"] {
      XCTAssertFalse(image.hasField(field), "\(field) survived", file: file, line: line)
    }
  }

  func testAVIF() throws {
    let (thumbnail, decoded) = try render(.avif)
    XCTAssertEqual(ImageFormat.sniff(thumbnail.bytes), .avif)
    XCTAssertEqual(decoded.stringField("vips-loader"), "heifload_buffer")
    let score = try psnr(decoded.cast(to: .uchar), reference())
    print("AVIF q80 output vs reference: \(score) dB, \(thumbnail.bytes.count) bytes")
    XCTAssertGreaterThanOrEqual(score, 32)
    assertStripped(decoded)
  }

  func testWebP() throws {
    let (thumbnail, decoded) = try render(.webp)
    XCTAssertEqual(ImageFormat.sniff(thumbnail.bytes), .webp)
    let score = try psnr(decoded, reference())
    print("WebP q80 output vs reference: \(score) dB, \(thumbnail.bytes.count) bytes")
    XCTAssertGreaterThanOrEqual(score, 32)
    assertStripped(decoded)
  }

  func testJPEGBaselineAndProgressive() throws {
    let (baseline, decodedBaseline) = try render(.jpeg)
    let (progressive, decodedProgressive) = try render(.jpeg, progressive: true)
    XCTAssertEqual(ImageFormat.sniff(baseline.bytes), .jpeg)
    XCTAssertEqual(decodedBaseline.intField("interlaced") ?? 0, 0)
    XCTAssertEqual(decodedProgressive.intField("interlaced"), 1)
    XCTAssertNotEqual(baseline.bytes, progressive.bytes)
    XCTAssertGreaterThanOrEqual(try psnr(decodedProgressive, reference()), 32)
    assertStripped(decodedBaseline)
    assertStripped(decodedProgressive)
  }

  func testQualityChangesTheEncoding() throws {
    let (low, _) = try render(.jpeg, quality: 30)
    let (high, _) = try render(.jpeg, quality: 95)
    XCTAssertLessThan(low.bytes.count, high.bytes.count)
  }

  func testPNG() throws {
    let (thumbnail, decoded) = try render(.png)
    XCTAssertEqual(ImageFormat.sniff(thumbnail.bytes), .png)
    XCTAssertGreaterThanOrEqual(try psnr(decoded, reference()), 40)
    assertStripped(decoded)
  }
}
