import HalftoneSpec
import XCTest

/// Every Fastly `crop` form on a 4000×3000 source, plus `precrop`.
final class FastlyCropTests: XCTestCase {
  let photo = source(4000, 3000)

  func testSeed() throws {
    let spec = try ThumbnailSpec.parse(
      url: fastlyURL("crop=3104,2328,x175,y0&quality=50&width=640"), declaredWidth: 640,
      declaredHeight: 480)
    XCTAssertEqual(spec.dialect, .fastly)
    XCTAssertEqual(spec.warnings, [])
    let plan = try spec.plan(for: source(3279, 2328))
    XCTAssertEqual(
      plan,
      ThumbnailPlan(
        region: rect(3104, 2328, 175, 0), width: 640, height: 480, gravity: .centre,
        format: .jpeg, quality: 50, progressive: false, orientation: .exif))
  }

  func testSeedWithoutDeclaredSizeGivesTheSameOutput() throws {
    let plan = try fastlyPlan("crop=3104,2328,x175,y0&quality=50&width=640", source(3279, 2328))
    XCTAssertEqual(plan.shape, Shape(region: rect(3104, 2328, 175, 0), width: 640, height: 480))
  }

  /// The second real URL: a forced size 660×372 on a 6015×3372 crop is cut, not stretched.
  func testForcedSizeCutsTheRegionCentred() throws {
    let spec = try ThumbnailSpec.parse(
      url: fastlyURL("crop=6015,3372,x0,y0&width=660&height=372&format=pjpg&auto=webp"),
      declaredWidth: 660, declaredHeight: 372)
    let plan = try spec.plan(for: source(6015, 3372))
    XCTAssertEqual(plan.shape, Shape(region: rect(5983, 3372, 16, 0), width: 660, height: 372))
    XCTAssertEqual(plan.format, .jpeg)
    XCTAssertTrue(plan.progressive)
    XCTAssertEqual(plan.quality, 85)
    XCTAssertEqual(spec.autoFormats, [.webp])
  }

  func testPixelSizeIsCentredByDefault() throws {
    let plan = try fastlyPlan("crop=2000,1000", photo)
    XCTAssertEqual(
      plan.shape, Shape(region: rect(2000, 1000, 1000, 1000), width: 2000, height: 1000))
  }

  func testRatioTakesTheLargestCentredRegion() throws {
    XCTAssertEqual(try fastlyPlan("crop=16:9", photo).region, rect(4000, 2250, 0, 375))
    XCTAssertEqual(try fastlyPlan("crop=1:1", photo).region, rect(3000, 3000, 500, 0))
    XCTAssertEqual(try fastlyPlan("crop=1:2", photo).region, rect(1500, 3000, 1250, 0))
  }

  func testFractionsRoundToTheNearestPixel() throws {
    XCTAssertEqual(try fastlyPlan("crop=0.5,0.5", photo).region, rect(2000, 1500, 1000, 750))
    // 0.5 × 1001 = 500.5 → 501; the leftover 500 is split evenly.
    XCTAssertEqual(
      try fastlyPlan("crop=0.5,0.5", source(1001, 1001)).region, rect(501, 501, 250, 250))
  }

  func testPercentSizes() throws {
    XCTAssertEqual(try fastlyPlan("crop=50p,25p", photo).region, rect(2000, 750, 1000, 1125))
    XCTAssertEqual(try fastlyPlan("crop=12.5p,10p", photo).region, rect(500, 300, 1750, 1350))
  }

  func testPixelPositions() throws {
    XCTAssertEqual(
      try fastlyPlan("crop=1000,500,x100,y200", photo).region, rect(1000, 500, 100, 200))
    XCTAssertEqual(
      try fastlyPlan("crop=1000,500,y200,x100", photo).region, rect(1000, 500, 100, 200))
  }

  func testPercentAndFractionPositionsAreOfTheImage() throws {
    XCTAssertEqual(
      try fastlyPlan("crop=1000,500,x10p,y20p", photo).region, rect(1000, 500, 400, 600))
    XCTAssertEqual(
      try fastlyPlan("crop=1000,500,x0.1,y0.2", photo).region, rect(1000, 500, 400, 600))
  }

  func testOneAxisPositionLeavesTheOtherCentred() throws {
    XCTAssertEqual(try fastlyPlan("crop=1000,500,x100", photo).region, rect(1000, 500, 100, 1250))
  }

  func testOffsetsArePercentagesOfTheLeftoverSpace() throws {
    // left = (4000 − 1000) · 25 % = 750; top = (3000 − 500) · 100 % = 2500.
    XCTAssertEqual(
      try fastlyPlan("crop=1000,500,offset-x25,offset-y100", photo).region,
      rect(1000, 500, 750, 2500))
    XCTAssertEqual(try fastlyPlan("crop=1:1,offset-x0", photo).region, rect(3000, 3000, 0, 0))
    XCTAssertEqual(try fastlyPlan("crop=1:1,offset-x100", photo).region, rect(3000, 3000, 1000, 0))
    XCTAssertEqual(
      try fastlyPlan("crop=16:9,offset-y0", photo).region, rect(4000, 2250, 0, 0))
  }

  func testSmartKeepsTheWholeImageWithAttentionAndTheRatiosShape() throws {
    let plan = try fastlyPlan("crop=16:9,smart&width=960", photo)
    XCTAssertEqual(
      plan.shape,
      Shape(region: rect(4000, 3000, 0, 0), width: 960, height: 540, gravity: .attention))
    let natural = try fastlyPlan("crop=1:1,smart", photo)
    XCTAssertEqual(
      natural.shape,
      Shape(region: rect(4000, 3000, 0, 0), width: 3000, height: 3000, gravity: .attention))
  }

  func testSmartIgnoresPositionsWithAWarning() throws {
    let spec = try ThumbnailSpec.parse(query: "crop=1:1,smart,x0")
    XCTAssertEqual(spec.warnings.count, 1)
    XCTAssertTrue(spec.warnings[0].contains("smart"), spec.warnings[0])
  }

  func testSafeKeepsTheIntersection() throws {
    XCTAssertEqual(
      try fastlyPlan("crop=3000,2000,x2000,y2000,safe", photo).region, rect(2000, 1000, 2000, 2000))
    XCTAssertEqual(try fastlyPlan("crop=5000,1000,safe", photo).region, rect(4000, 1000, 0, 1000))
  }

  func testRegionOutsideTheImageIsCropOutOfBounds() throws {
    let error = assertSpecError(.cropOutOfBounds, parameter: "crop") {
      try fastlyPlan("crop=3000,2000,x2000,y2000", photo)
    }
    XCTAssertTrue(
      error?.message.contains("3000x2000+2000+2000") == true, "\(String(describing: error))")
    XCTAssertTrue(error?.message.contains("4000x3000") == true)
    assertSpecError(.cropOutOfBounds, parameter: "crop") { try fastlyPlan("crop=5000,1000", photo) }
    assertSpecError(.cropOutOfBounds, parameter: "crop") { try fastlyPlan("crop=150p,50p", photo) }
    assertSpecError(.cropOutOfBounds, parameter: "crop") {
      try fastlyPlan("crop=100,100,x4000,y0,safe", photo)  // nothing left inside
    }
  }

  func testPrecropThenCropInThePrecroppedImage() throws {
    XCTAssertEqual(
      try fastlyPlan("precrop=2000,2000,x1000,y500&crop=1000,1000,x100,y200", photo).region,
      rect(1000, 1000, 1100, 700))
    XCTAssertEqual(
      try fastlyPlan("precrop=2000,2000,x1000,y500&crop=50p,50p", photo).region,
      rect(1000, 1000, 1500, 1000))
    XCTAssertEqual(
      try fastlyPlan("crop=16:9&precrop=2000,2000,x0,y0", photo).region, rect(2000, 1125, 0, 437))
  }

  func testCropMustFitThePrecroppedImage() throws {
    assertSpecError(.cropOutOfBounds, parameter: "crop") {
      try fastlyPlan("precrop=2000,2000&crop=1000,1000,x1500,y0", photo)
    }
    assertSpecError(.cropOutOfBounds, parameter: "precrop") {
      try fastlyPlan("precrop=5000,100&crop=10,10", photo)
    }
  }

  func testSmartCropAfterPrecropChoosesFromThePrecroppedImage() throws {
    let plan = try fastlyPlan("precrop=2000,3000,x0,y0&crop=1:1,smart", photo)
    XCTAssertEqual(
      plan.shape,
      Shape(region: rect(2000, 3000, 0, 0), width: 2000, height: 2000, gravity: .attention))
  }

  func testPrecropAloneActsAsACrop() throws {
    XCTAssertEqual(try fastlyPlan("precrop=1000,500,x0,y0", photo).region, rect(1000, 500, 0, 0))
  }

  func testWholeImagePercentCropIsNoCrop() throws {
    XCTAssertEqual(try fastlyPlan("crop=100p,100p", photo).region, rect(4000, 3000, 0, 0))
  }
}
