import HalftoneSpec
import XCTest

/// Fastly `width`, `height`, `fit`, `dpr`, upscaling and declared sizes on a 4000×3000 source.
final class FastlySizeTests: XCTestCase {
  let photo = source(4000, 3000)
  let whole = rect(4000, 3000, 0, 0)

  func testNoSizeIsTheRegionsSize() throws {
    XCTAssertEqual(try fastlyPlan("", photo).shape, Shape(region: whole, width: 4000, height: 3000))
  }

  func testOneSideKeepsTheAspectRatio() throws {
    XCTAssertEqual(
      try fastlyPlan("width=1000", photo).shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try fastlyPlan("height=600", photo).shape, Shape(region: whole, width: 800, height: 600))
  }

  func testFractionAndPercentWidthsAreOfTheRegion() throws {
    XCTAssertEqual(
      try fastlyPlan("width=0.25", photo).shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try fastlyPlan("width=25p", photo).shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try fastlyPlan("crop=2000,1000&width=50p", photo).shape,
      Shape(region: rect(2000, 1000, 1000, 1000), width: 1000, height: 500))
  }

  func testFitBoundsFitsInside() throws {
    XCTAssertEqual(
      try fastlyPlan("width=1000&height=1000&fit=bounds", photo).shape,
      Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try fastlyPlan("width=2000&height=600&fit=bounds", photo).shape,
      Shape(region: whole, width: 800, height: 600))
  }

  func testFitCoverCoversWithoutCutting() throws {
    XCTAssertEqual(
      try fastlyPlan("width=1000&height=1000&fit=cover", photo).shape,
      Shape(region: whole, width: 1333, height: 1000))
  }

  func testFitCropIsExactlyTheBoxCutFromTheCentre() throws {
    XCTAssertEqual(
      try fastlyPlan("width=1000&height=1000&fit=crop", photo).shape,
      Shape(region: rect(3000, 3000, 500, 0), width: 1000, height: 1000))
  }

  func testBothSizesWithoutFitAreExactButNeverDistorted() throws {
    XCTAssertEqual(
      try fastlyPlan("width=1000&height=1000", photo).shape,
      Shape(region: rect(3000, 3000, 500, 0), width: 1000, height: 1000))
    XCTAssertEqual(
      try fastlyPlan("width=1000&height=250", photo).shape,
      Shape(region: rect(4000, 1000, 0, 1000), width: 1000, height: 250))
  }

  func testDprMultipliesWidthAndHeight() throws {
    XCTAssertEqual(
      try fastlyPlan("width=500&dpr=2", photo).shape, Shape(region: whole, width: 1000, height: 750)
    )
    XCTAssertEqual(
      try fastlyPlan("width=400&dpr=1.5", photo).shape,
      Shape(region: whole, width: 600, height: 450))
    XCTAssertEqual(
      try fastlyPlan("width=300&height=300&dpr=2&fit=crop", photo).shape,
      Shape(region: rect(3000, 3000, 500, 0), width: 600, height: 600))
  }

  func testNoUpscalingByDefault() throws {
    let small = source(400, 300)
    let smallWhole = rect(400, 300, 0, 0)
    XCTAssertEqual(
      try fastlyPlan("width=800", small).shape, Shape(region: smallWhole, width: 400, height: 300))
    XCTAssertEqual(
      try fastlyPlan("width=800&disable=upscale", small).shape,
      Shape(region: smallWhole, width: 400, height: 300))
    // Exact box: the region is cut to 1:1 first, then the output shrinks to fit it.
    XCTAssertEqual(
      try fastlyPlan("width=800&height=800", small).shape,
      Shape(region: rect(300, 300, 50, 0), width: 300, height: 300))
    // Keeps the output's aspect ratio while shrinking.
    XCTAssertEqual(
      try fastlyPlan("width=800&height=200&fit=crop", small).shape,
      Shape(region: rect(400, 100, 0, 100), width: 400, height: 100))
  }

  func testEnableUpscaleEnlarges() throws {
    let small = source(400, 300)
    XCTAssertEqual(
      try fastlyPlan("width=800&enable=upscale", small).shape,
      Shape(region: rect(400, 300, 0, 0), width: 800, height: 600))
    XCTAssertEqual(
      try fastlyPlan("width=800&height=800&enable=upscale", small).shape,
      Shape(region: rect(300, 300, 50, 0), width: 800, height: 800))
    // disable wins over enable.
    XCTAssertEqual(
      try fastlyPlan("width=800&enable=upscale&disable=upscale", small).width, 400)
  }

  func testDeclaredSizeWinsAndIsCutNotDistorted() throws {
    // The URL says 1000 wide (→ 1000×750) but the record says 1000×500: cut the region to 2:1.
    let plan = try fastlyPlan("width=1000", photo, declaredWidth: 1000, declaredHeight: 500)
    XCTAssertEqual(plan.shape, Shape(region: rect(4000, 2000, 0, 500), width: 1000, height: 500))
    XCTAssertEqual(
      Double(plan.region.width) / Double(plan.region.height),
      Double(plan.width) / Double(plan.height), accuracy: 0.001)
  }

  func testDeclaredSizeWithSmartCropKeepsTheRegionWithAttention() throws {
    let plan = try fastlyPlan(
      "crop=16:9,smart&width=960", photo, declaredWidth: 600, declaredHeight: 600)
    XCTAssertEqual(plan.shape, Shape(region: whole, width: 600, height: 600, gravity: .attention))
  }

  func testDeclaredSizeWithinRoundingKeepsTheRegion() throws {
    // 3104×2328 → 640 wide is 480.0 high; 481 is within 1 px of the width-derived height.
    let plan = try fastlyPlan(
      "crop=3104,2328,x175,y0", source(3279, 2328), declaredWidth: 640, declaredHeight: 481)
    XCTAssertEqual(plan.shape, Shape(region: rect(3104, 2328, 175, 0), width: 640, height: 481))
  }

  func testOneDeclaredSideActsLikeAURLSideAlone() throws {
    XCTAssertEqual(
      try fastlyPlan("width=1000&height=1000", photo, declaredWidth: 800).shape,
      Shape(region: whole, width: 800, height: 600))
    XCTAssertEqual(
      try fastlyPlan("", photo, declaredHeight: 300).shape,
      Shape(region: whole, width: 400, height: 300))
  }

  func testHugeRegionsAreBoundedTo8192() throws {
    XCTAssertEqual(
      try fastlyPlan("", source(20000, 10000)).shape,
      Shape(region: rect(20000, 10000, 0, 0), width: 8192, height: 4096))
    XCTAssertEqual(
      try fastlyPlan("width=8000&enable=upscale", source(100, 1000)).shape,
      Shape(region: rect(100, 1000, 0, 0), width: 819, height: 8192))
  }

  func testExpectedOutputSizeMatchesThePlan() throws {
    let spec = try ThumbnailSpec.parse(query: "crop=16:9&width=640")
    let size = try spec.expectedOutputSize(for: photo)
    XCTAssertEqual(size.width, 640)
    XCTAssertEqual(size.height, 360)
  }
}
