import HalftoneSpec
import XCTest

/// WordPress Photon equivalents of the Fastly cases.
final class PhotonTests: XCTestCase {
  let photo = source(4000, 3000)
  let whole = rect(4000, 3000, 0, 0)

  func photon(_ query: String, declaredWidth: Int? = nil, declaredHeight: Int? = nil) throws
    -> ThumbnailSpec
  {
    try ThumbnailSpec.parse(
      url: "https://i0.wp.com/example.com/wp-content/uploads/2020/01/photo.jpg?\(query)",
      declaredWidth: declaredWidth, declaredHeight: declaredHeight)
  }

  func plan(_ query: String, _ source: ImageProbe? = nil) throws -> ThumbnailPlan {
    try photon(query).plan(for: source ?? photo)
  }

  func testMasterIsTheInnerURL() throws {
    let spec = try photon("resize=640,480&ssl=1&strip=all")
    XCTAssertEqual(spec.dialect, .photon)
    XCTAssertEqual(spec.masterURL, "https://example.com/wp-content/uploads/2020/01/photo.jpg")
    XCTAssertEqual(spec.warnings, [])
  }

  func testAnInnerQueryIsKeptWhenItIsNotPhotons() throws {
    let spec = try ThumbnailSpec.parse(url: "https://i1.wp.com/example.com/image.php?id=42")
    XCTAssertEqual(spec.dialect, .photon)
    XCTAssertEqual(spec.masterURL, "https://example.com/image.php?id=42")
    XCTAssertEqual(spec.warnings, [])
  }

  func testPhotonURLWithoutAnInnerPathIsInvalid() throws {
    assertSpecError(.invalidURL) { try ThumbnailSpec.parse(url: "https://i0.wp.com/") }
    assertSpecError(.invalidURL) { try ThumbnailSpec.parse(url: "https://i0.wp.com/example.com") }
  }

  func testSeedEquivalent() throws {
    let spec = try photon(
      "crop=175px,0px,3104px,2328px&w=640&quality=50", declaredWidth: 640, declaredHeight: 480)
    XCTAssertEqual(
      try spec.plan(for: source(3279, 2328)),
      ThumbnailPlan(
        region: rect(3104, 2328, 175, 0), width: 640, height: 480, format: .jpeg, quality: 50))
  }

  func testCropIsInPercentByDefault() throws {
    XCTAssertEqual(try plan("crop=10,20,50,50").region, rect(2000, 1500, 400, 600))
    XCTAssertEqual(try plan("crop=12.5,0,25,100").region, rect(1000, 3000, 500, 0))
  }

  func testCropOutsideTheImageIsCropOutOfBounds() throws {
    assertSpecError(.cropOutOfBounds, parameter: "crop") { try plan("crop=60,0,50,100") }
  }

  func testResizeCoversThenCutsToExactlyTheBox() throws {
    XCTAssertEqual(
      try plan("resize=1000,1000").shape,
      Shape(region: rect(3000, 3000, 500, 0), width: 1000, height: 1000))
  }

  func testFitAndWidthHeightFitInside() throws {
    XCTAssertEqual(try plan("fit=1000,1000").shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(try plan("w=1000&h=1000").shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(try plan("w=1000").shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(try plan("h=600").shape, Shape(region: whole, width: 800, height: 600))
    XCTAssertEqual(try plan("w=25%").shape, Shape(region: whole, width: 1000, height: 750))
  }

  func testCropOneWithWidthAndHeightIsAnExactBox() throws {
    XCTAssertEqual(
      try plan("w=1000&h=1000&crop=1").shape,
      Shape(region: rect(3000, 3000, 500, 0), width: 1000, height: 1000))
  }

  func testZoomMultiplies() throws {
    XCTAssertEqual(try plan("w=300&zoom=2").width, 600)
  }

  func testNeverEnlarges() throws {
    XCTAssertEqual(try plan("w=800", source(400, 300)).width, 400)
    XCTAssertEqual(
      try plan("resize=800,800", source(400, 300)).shape,
      Shape(region: rect(300, 300, 50, 0), width: 300, height: 300))
  }

  func testDeclaredSizeDisagreeingWithTheURL() throws {
    let spec = try photon("w=1000", declaredWidth: 1000, declaredHeight: 500)
    XCTAssertEqual(
      try spec.plan(for: photo).shape,
      Shape(region: rect(4000, 2000, 0, 500), width: 1000, height: 500))
  }

  func testQualityDefaultsTo90() throws {
    XCTAssertEqual(try plan("w=100").quality, 90)
    XCTAssertEqual(try plan("w=100&quality=70").quality, 70)
  }

  func testUnknownPhotonParameterIsAWarning() throws {
    let spec = try photon("w=100&lb=200,100")
    XCTAssertEqual(spec.warnings.count, 1)
  }

  func testWordPressFilesHost() throws {
    let spec = try ThumbnailSpec.parse(
      url: "https://example.files.wordpress.com/2020/01/a.jpg?w=640")
    XCTAssertEqual(spec.dialect, .photon)
    XCTAssertEqual(spec.masterURL, "https://example.files.wordpress.com/2020/01/a.jpg")
    XCTAssertEqual(try spec.plan(for: photo).width, 640)
  }
}
