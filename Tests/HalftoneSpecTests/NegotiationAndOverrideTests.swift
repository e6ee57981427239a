import HalftoneSpec
import XCTest

/// `negotiated(accepting:)`, `Accept` headers and CLI overrides.
final class NegotiationAndOverrideTests: XCTestCase {
  let photo = source(4000, 3000)

  func testFastlyAutoWebP() throws {
    let spec = try ThumbnailSpec.parse(query: "format=pjpg&auto=webp&width=640")
    let webp = spec.negotiated(accepting: [.webp, .jpeg])
    XCTAssertEqual(webp.format, .webp)
    XCTAssertEqual(webp.autoFormats, [])
    XCTAssertFalse(webp.progressive)
    XCTAssertEqual(try webp.plan(for: photo).format, .webp)
    let jpeg = spec.negotiated(accepting: [.jpeg, .png])
    XCTAssertEqual(jpeg.format, .jpeg)
    XCTAssertTrue(jpeg.progressive)
    XCTAssertEqual(jpeg.autoFormats, [])
  }

  func testImgixAutoFormatPrefersAVIF() throws {
    let spec = try ThumbnailSpec.parse(url: "https://a.imgix.net/p.jpg?auto=format")
    XCTAssertEqual(spec.negotiated(accepting: [.avif, .webp]).format, .avif)
    XCTAssertEqual(spec.negotiated(accepting: [.webp]).format, .webp)
    XCTAssertNil(spec.negotiated(accepting: [.jpeg]).format)
  }

  func testAcceptHeaders() {
    XCTAssertEqual(
      OutputFormat.accepted(byAcceptHeader: "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"),
      [.avif, .webp, .jpeg, .png])
    XCTAssertEqual(OutputFormat.accepted(byAcceptHeader: "image/webp;q=0, image/jpeg"), [.jpeg])
    XCTAssertEqual(OutputFormat.accepted(byAcceptHeader: "*/*"), [.jpeg, .png])
    XCTAssertEqual(OutputFormat.accepted(byAcceptHeader: ""), [])
  }

  func testOverrideWidthHeightFormatQuality() throws {
    var spec = try ThumbnailSpec.parse(query: "width=640&format=pjpg&auto=webp&quality=50,30")
    try spec.override(width: 320, height: nil, format: nil, quality: nil)
    XCTAssertEqual(try spec.plan(for: photo).shape.width, 320)
    XCTAssertEqual(try spec.plan(for: photo).shape.height, 240)
    try spec.override(width: 300, height: 300, format: .webp, quality: 60)
    let plan = try spec.plan(for: photo)
    XCTAssertEqual(
      plan.shape, Shape(region: rect(3000, 3000, 500, 0), width: 300, height: 300))
    XCTAssertEqual(plan.format, .webp)
    XCTAssertEqual(plan.quality, 60)
    XCTAssertEqual(spec.autoFormats, [])
    XCTAssertFalse(spec.progressive)
  }

  func testBadOverridesAreRefusedAndChangeNothing() throws {
    var spec = try ThumbnailSpec.parse(query: "width=640")
    let before = spec
    assertSpecError(.invalidSpec, parameter: "width") {
      try spec.override(width: 0, height: nil, format: nil, quality: nil)
    }
    assertSpecError(.invalidSpec, parameter: "height") {
      try spec.override(width: 10, height: 9000, format: nil, quality: nil)
    }
    assertSpecError(.invalidSpec, parameter: "quality") {
      try spec.override(width: 10, height: nil, format: .png, quality: 101)
    }
    XCTAssertEqual(spec, before)
  }

  func testOverridesChangeTheKey() throws {
    var spec = try ThumbnailSpec.parse(query: "width=640")
    let key = spec.canonicalKey
    try spec.override(width: nil, height: nil, format: nil, quality: 40)
    XCTAssertNotEqual(spec.canonicalKey, key)
  }

  func testEmptySourceIsAnInternalError() throws {
    let spec = try ThumbnailSpec.parse(query: "width=640")
    assertSpecError(.internal) { try spec.plan(for: source(0, 100)) }
  }
}
