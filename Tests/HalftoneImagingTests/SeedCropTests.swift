import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// The seed case: Fastly `crop=3104,2328,x175,y0&width=640` on a 3279×2328 master.
final class SeedCropTests: XCTestCase {
  static let master = (width: 3279, height: 2328)
  static let region = PixelRect(x: 175, y: 0, width: 3104, height: 2328)

  var masterJPEG: Data { Fixtures.photoJPEG(width: Self.master.width, height: Self.master.height) }

  func reference(_ region: PixelRect = SeedCropTests.region) throws -> VipsImage {
    try Reference.cropThenResize(masterJPEG, region: region, width: 640, height: 480)
  }

  func render(_ region: PixelRect, format: OutputFormat, quality: Int = 50) throws -> Thumbnail {
    let plan = ThumbnailPlan(
      region: region, width: 640, height: 480, format: format, quality: quality)
    return try Thumbnailer().render(masterJPEG, plan: plan)
  }

  func testSeedAsPNGMatchesCropThenResize() throws {
    let thumbnail = try render(Self.region, format: .png)
    XCTAssertEqual([thumbnail.width, thumbnail.height], [640, 480])
    let decoded = try Reference.decode(thumbnail.bytes)
    XCTAssertEqual([decoded.width, decoded.height, decoded.bands], [640, 480, 3])
    let score = try psnr(decoded, reference())
    print("seed as PNG vs reference: \(score) dB")
    XCTAssertGreaterThanOrEqual(score, 40, "PNG render vs crop-then-resize: \(score) dB")
  }

  func testSeedAsJPEGQuality50MatchesCropThenResize() throws {
    let thumbnail = try render(Self.region, format: .jpeg, quality: 50)
    let decoded = try Reference.decode(thumbnail.bytes)
    XCTAssertEqual([decoded.width, decoded.height], [640, 480])
    XCTAssertEqual(decoded.stringField("vips-loader"), "jpegload_buffer")
    let score = try psnr(decoded, reference())
    print("seed as JPEG q50 vs reference: \(score) dB")
    XCTAssertGreaterThanOrEqual(score, 30, "JPEG q50 render vs crop-then-resize: \(score) dB")
  }

  /// The comparison can fail: the same pipeline with a wrong region scores far lower.
  func testShiftedOrCentredRegionScoresClearlyLower() throws {
    let expected = try reference()
    let shifted = PixelRect(x: 150, y: 0, width: 3104, height: 2328)
    let shiftedScore = try psnr(Reference.decode(render(shifted, format: .png).bytes), expected)
    print("seed shifted 25 px: \(shiftedScore) dB")
    XCTAssertLessThan(shiftedScore, 30, "a 25 px shift must not pass: \(shiftedScore) dB")
    let centred = PixelRect(x: (3279 - 3104) / 2, y: 0, width: 3104, height: 2328)
    let centredScore = try psnr(Reference.decode(render(centred, format: .png).bytes), expected)
    print("seed centre crop: \(centredScore) dB")
    XCTAssertLessThan(centredScore, 30, "a centre crop must not pass: \(centredScore) dB")
    // And the shifted render does match its own reference: the low scores are about the region.
    let shiftedReference = try reference(shifted)
    XCTAssertGreaterThanOrEqual(
      try psnr(Reference.decode(render(shifted, format: .png).bytes), shiftedReference), 40)
  }

  func testProbeReadsTheSeedHeader() throws {
    let info = try Thumbnailer().probe(masterJPEG)
    XCTAssertEqual(info, ImageProbe(width: 3279, height: 2328, format: .jpeg, hasAlpha: false))
  }
}
