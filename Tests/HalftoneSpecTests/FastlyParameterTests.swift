import HalftoneSpec
import XCTest

/// Fastly `format`, `quality`, `auto`, `orient` and warnings.
final class FastlyParameterTests: XCTestCase {
  func spec(_ query: String) throws -> ThumbnailSpec {
    try ThumbnailSpec.parse(query: query, dialect: .fastly)
  }

  func testFormats() throws {
    let expected: [(String, OutputFormat, Bool)] = [
      ("jpg", .jpeg, false), ("pjpg", .jpeg, true), ("png", .png, false), ("png8", .png, false),
      ("png24", .png, false), ("png32", .png, false), ("webp", .webp, false),
      ("avif", .avif, false),
      ("gif", .png, false), ("JPG", .jpeg, false),
    ]
    for (value, format, progressive) in expected {
      let parsed = try spec("format=\(value)")
      XCTAssertEqual(parsed.format, format, value)
      XCTAssertEqual(parsed.progressive, progressive, value)
    }
    XCTAssertEqual(try spec("format=gif").warnings.count, 1)
    XCTAssertEqual(try spec("format=png8").warnings, [])
  }

  func testUnknownFormatIsInvalid() throws {
    let error = assertSpecError(.invalidSpec, parameter: "format") { try spec("format=bmp") }
    XCTAssertTrue(error?.message.contains("bmp") == true)
  }

  func testProgressiveReachesThePlanOnlyForJPEG() throws {
    XCTAssertTrue(try spec("format=pjpg").plan(for: source(100, 100)).progressive)
    var webp = try spec("format=pjpg")
    webp.format = .webp
    XCTAssertFalse(try webp.plan(for: source(100, 100)).progressive)
  }

  func testFormatDerivedFromTheSource() throws {
    let parsed = try spec("width=50")
    XCTAssertNil(parsed.format)
    XCTAssertEqual(try parsed.plan(for: source(100, 100, .jpeg)).format, .jpeg)
    XCTAssertEqual(try parsed.plan(for: source(100, 100, .png, alpha: true)).format, .png)
    XCTAssertEqual(try parsed.plan(for: source(100, 100, .png, alpha: false)).format, .jpeg)
    XCTAssertEqual(try parsed.plan(for: source(100, 100, .webp, alpha: true)).format, .webp)
    XCTAssertEqual(try parsed.plan(for: source(100, 100, .avif)).format, .avif)
    XCTAssertEqual(try parsed.plan(for: source(100, 100, .gif)).format, .jpeg)
  }

  func testQualityDefaultsAndWebPQuality() throws {
    XCTAssertEqual(try spec("").plan(for: source(10, 10)).quality, 85)
    let split = try spec("quality=60,40")
    XCTAssertEqual(split.quality, 60)
    XCTAssertEqual(split.webpQuality, 40)
    XCTAssertEqual(try split.plan(for: source(10, 10)).quality, 60)
    XCTAssertEqual(try split.plan(for: source(10, 10, .webp)).quality, 40)
    XCTAssertEqual(try split.negotiated(accepting: [.webp]).plan(for: source(10, 10)).quality, 60)
    XCTAssertEqual(
      try spec("quality=60,40&auto=webp").negotiated(accepting: [.webp])
        .plan(for: source(10, 10)).quality, 40)
  }

  func testOrientMapsToEXIFOrientations() throws {
    XCTAssertEqual(try spec("").orientation, .exif)
    let expected: [(String, Int)] = [
      ("r", 6), ("l", 8), ("h", 2), ("v", 4), ("hv", 3), ("vh", 3), ("1", 1), ("5", 5), ("8", 8),
    ]
    for (value, number) in expected {
      XCTAssertEqual(try spec("orient=\(value)").orientation, .fixed(number), value)
    }
    XCTAssertEqual(try spec("orient=r").plan(for: source(10, 10)).orientation, .fixed(6))
    assertSpecError(.invalidSpec, parameter: "orient") { try spec("orient=9") }
    assertSpecError(.invalidSpec, parameter: "orient") { try spec("orient=up") }
  }

  func testAuto() throws {
    XCTAssertEqual(try spec("auto=webp").autoFormats, [.webp])
    XCTAssertEqual(try spec("auto=avif").autoFormats, [.avif])
    XCTAssertEqual(try spec("auto=avif,webp").autoFormats, [.avif, .webp])
    XCTAssertEqual(try spec("format=auto").autoFormats, [.avif, .webp])
    let odd = try spec("auto=jxl")
    XCTAssertEqual(odd.autoFormats, [])
    XCTAssertEqual(odd.warnings.count, 1)
  }

  func testUnknownParametersAreWarnedAboutNotErrors() throws {
    let parsed = try spec("width=640&trim=10&sharpen=a5&width=640")
    XCTAssertEqual(parsed.warnings.count, 3, "\(parsed.warnings)")
    XCTAssertTrue(parsed.warnings.contains { $0.contains("'trim'") })
    XCTAssertTrue(parsed.warnings.contains { $0.contains("'sharpen'") })
    XCTAssertTrue(parsed.warnings.contains { $0.contains("repeated") })
    XCTAssertEqual(try parsed.plan(for: source(1280, 960)).width, 640)
  }

  func testUnknownEnableFeatureIsAWarning() throws {
    let parsed = try spec("enable=blur")
    XCTAssertEqual(parsed.warnings.count, 1)
  }

  func testPercentEncodedCommasAreCommas() throws {
    let encoded = try ThumbnailSpec.parse(url: fastlyURL("crop=3104%2C2328%2Cx175%2Cy0&width=640"))
    XCTAssertEqual(try encoded.plan(for: source(3279, 2328)).region, rect(3104, 2328, 175, 0))
  }

  func testBareQueryMayStartWithAQuestionMark() throws {
    XCTAssertEqual(try spec("?width=640").plan(for: source(1280, 960)).width, 640)
    let parsed = try spec("width=640")
    XCTAssertEqual(parsed.imageURL, "")
    XCTAssertEqual(parsed.masterURL, "")
  }
}
