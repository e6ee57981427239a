import HalftoneSpec
import XCTest

/// thumbor paths.
final class ThumborTests: XCTestCase {
  let photo = source(4000, 3000)
  let whole = rect(4000, 3000, 0, 0)

  func thumbor(_ options: String, image: String = "example.com/news/photo.jpg") throws
    -> ThumbnailSpec
  {
    try ThumbnailSpec.parse(url: "https://thumbs.example.org/unsafe/\(options)/\(image)")
  }

  func testSeedEquivalent() throws {
    let spec = try ThumbnailSpec.parse(
      url: "https://thumbs.example.org/unsafe/175x0:3279x2328/640x0/filters:quality(50)/"
        + "example.com/news/photo.jpg", declaredWidth: 640, declaredHeight: 480)
    XCTAssertEqual(spec.dialect, .thumbor)
    XCTAssertEqual(spec.masterURL, "https://example.com/news/photo.jpg")
    XCTAssertEqual(
      try spec.plan(for: source(3279, 2328)),
      ThumbnailPlan(
        region: rect(3104, 2328, 175, 0), width: 640, height: 480, format: .jpeg, quality: 50))
  }

  func testSizesAndFits() throws {
    XCTAssertEqual(
      try thumbor("1000x1000").plan(for: photo).shape,
      Shape(region: rect(3000, 3000, 500, 0), width: 1000, height: 1000))
    XCTAssertEqual(
      try thumbor("fit-in/1000x1000").plan(for: photo).shape,
      Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try thumbor("1000x0").plan(for: photo).shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try thumbor("x600").plan(for: photo).shape, Shape(region: whole, width: 800, height: 600))
  }

  func testAlignmentAndSmart() throws {
    XCTAssertEqual(try thumbor("1000x1000/left").plan(for: photo).region, rect(3000, 3000, 0, 0))
    XCTAssertEqual(
      try thumbor("1000x1000/right/top").plan(for: photo).region, rect(3000, 3000, 1000, 0))
    XCTAssertEqual(
      try thumbor("1000x1000/smart").plan(for: photo).shape,
      Shape(region: whole, width: 1000, height: 1000, gravity: .attention))
  }

  func testFilters() throws {
    let spec = try thumbor("800x0/filters:quality(70):format(webp):upscale():blur(3)")
    XCTAssertEqual(spec.quality, 70)
    XCTAssertEqual(spec.format, .webp)
    XCTAssertEqual(spec.warnings.count, 1)
    XCTAssertEqual(try spec.plan(for: source(400, 300)).width, 800)
    XCTAssertEqual(try thumbor("800x0").plan(for: source(400, 300)).width, 400)
    XCTAssertEqual(try thumbor("800x0").plan(for: photo).quality, 80)
  }

  func testEncodedImageURLAndSignedPaths() throws {
    let encoded = try thumbor("300x200", image: "http%3A%2F%2Fexample.com%2Fa.jpg")
    XCTAssertEqual(encoded.masterURL, "http://example.com/a.jpg")
    let plain = try thumbor("300x200", image: "https://example.com/a.jpg")
    XCTAssertEqual(plain.masterURL, "https://example.com/a.jpg")
    let signed = try ThumbnailSpec.parse(
      url: "https://thumbs.example.org/K7pYbdV9dLgqXpoYs8CfzAp8wIk=/300x200/example.com/a.jpg")
    XCTAssertEqual(signed.dialect, .thumbor)
    XCTAssertEqual(signed.masterURL, "https://example.com/a.jpg")
  }

  func testBadCornersAndMissingImage() throws {
    assertSpecError(.invalidSpec, parameter: "crop") { try self.thumbor("500x0:100x100/300x200") }
    assertSpecError(.invalidURL) {
      try ThumbnailSpec.parse(url: "https://thumbs.example.org/unsafe/300x200/")
    }
    assertSpecError(.unsupportedScheme) {
      try self.thumbor("300x200", image: "ftp://example.com/a.jpg")
    }
  }

  func testBareOptions() throws {
    let spec = try ThumbnailSpec.parse(
      query: "fit-in/640x480/filters:quality(80)", dialect: .thumbor)
    XCTAssertEqual(spec.quality, 80)
    XCTAssertEqual(try spec.plan(for: photo).shape, Shape(region: whole, width: 640, height: 480))
    assertSpecError(.invalidSpec, parameter: "thumbor") {
      try ThumbnailSpec.parse(query: "640x480/banana", dialect: .thumbor)
    }
  }
}
