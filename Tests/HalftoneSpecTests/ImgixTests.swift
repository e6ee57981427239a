import HalftoneSpec
import XCTest

/// imgix equivalents of the Fastly cases.
final class ImgixTests: XCTestCase {
  let photo = source(4000, 3000)
  let whole = rect(4000, 3000, 0, 0)

  func imgix(_ query: String, declaredWidth: Int? = nil, declaredHeight: Int? = nil) throws
    -> ThumbnailSpec
  {
    try ThumbnailSpec.parse(
      url: "https://assets.imgix.net/news/photo.jpg?\(query)", declaredWidth: declaredWidth,
      declaredHeight: declaredHeight)
  }

  func plan(_ query: String, _ source: ImageProbe? = nil) throws -> ThumbnailPlan {
    try imgix(query).plan(for: source ?? photo)
  }

  func testSeedEquivalent() throws {
    let spec = try imgix("rect=175,0,3104,2328&w=640&q=50", declaredWidth: 640, declaredHeight: 480)
    XCTAssertEqual(spec.dialect, .imgix)
    XCTAssertEqual(spec.masterURL, "https://assets.imgix.net/news/photo.jpg")
    XCTAssertEqual(
      try spec.plan(for: source(3279, 2328)),
      ThumbnailPlan(
        region: rect(3104, 2328, 175, 0), width: 640, height: 480, format: .jpeg, quality: 50))
  }

  func testRectInPixelsFractionsAndKeywords() throws {
    XCTAssertEqual(try plan("rect=100,200,1000,500").region, rect(1000, 500, 100, 200))
    XCTAssertEqual(try plan("rect=0.25,0,0.5,1.0").region, rect(2000, 3000, 1000, 0))
    XCTAssertEqual(try plan("rect=center,bottom,1000,full").region, rect(1000, 3000, 1500, 0))
    XCTAssertEqual(try plan("rect=right,middle,1000,500").region, rect(1000, 500, 3000, 1250))
  }

  func testRectOutsideTheImageIsCropOutOfBounds() throws {
    assertSpecError(.cropOutOfBounds, parameter: "rect") { try plan("rect=3500,0,1000,500") }
  }

  func testDefaultFitClipFitsInside() throws {
    XCTAssertEqual(try plan("w=1000&h=1000").shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try plan("w=1000&h=1000&fit=clip").shape, Shape(region: whole, width: 1000, height: 750))
    XCTAssertEqual(
      try plan("w=1000&h=1000&fit=max").shape, Shape(region: whole, width: 1000, height: 750))
  }

  func testFitCropAndMinAreExactBoxes() throws {
    let expected = Shape(region: rect(3000, 3000, 500, 0), width: 1000, height: 1000)
    XCTAssertEqual(try plan("w=1000&h=1000&fit=crop").shape, expected)
    XCTAssertEqual(try plan("w=1000&h=1000&fit=min").shape, expected)
  }

  func testFillAndScaleAreReadAsCropWithAWarning() throws {
    for fit in ["fill", "scale"] {
      let spec = try imgix("w=1000&h=1000&fit=\(fit)")
      XCTAssertEqual(
        try spec.plan(for: photo).shape,
        Shape(region: rect(3000, 3000, 500, 0), width: 1000, height: 1000), fit)
      XCTAssertEqual(spec.warnings.count, 1, fit)
    }
  }

  func testContentAwareCropModesUseAttention() throws {
    for mode in ["entropy", "edges", "faces", "faces,top"] {
      XCTAssertEqual(
        try plan("w=1000&h=1000&fit=crop&crop=\(mode)").shape,
        Shape(region: whole, width: 1000, height: 1000, gravity: .attention), mode)
    }
  }

  func testDirectionalCropModesAlignToEdges() throws {
    XCTAssertEqual(try plan("w=1000&h=1000&fit=crop&crop=left").region, rect(3000, 3000, 0, 0))
    XCTAssertEqual(try plan("w=1000&h=1000&fit=crop&crop=right").region, rect(3000, 3000, 1000, 0))
    XCTAssertEqual(try plan("w=1000&h=500&fit=crop&crop=bottom").region, rect(4000, 2000, 0, 1000))
    XCTAssertEqual(try plan("w=1000&h=500&fit=crop&crop=top,left").region, rect(4000, 2000, 0, 0))
  }

  func testFocalPointCentresTheCutAndStaysInside() throws {
    // Centre at 0.6 · 4000 = 2400 → left = 2400 − 1500 = 900.
    XCTAssertEqual(
      try plan("w=1000&h=1000&fit=crop&crop=focalpoint&fp-x=0.6&fp-y=0.5").region,
      rect(3000, 3000, 900, 0))
    XCTAssertEqual(
      try plan("w=1000&h=1000&fit=crop&crop=focalpoint&fp-x=0.95").region, rect(3000, 3000, 1000, 0)
    )
  }

  func testCropModeWithoutFitCropIsIgnoredWithAWarning() throws {
    let spec = try imgix("w=1000&crop=faces")
    XCTAssertEqual(try spec.plan(for: photo).gravity, .centre)
    XCTAssertEqual(spec.warnings.count, 1)
  }

  func testUpscalingFollowsImgix() throws {
    let small = source(400, 300)
    // clip (the default) and crop enlarge; max and min do not.
    XCTAssertEqual(try plan("w=800", small).width, 800)
    XCTAssertEqual(try plan("w=800&fit=max", small).width, 400)
    XCTAssertEqual(try plan("w=800&h=800&fit=crop", small).shape.width, 800)
    XCTAssertEqual(
      try plan("w=800&h=800&fit=min", small).shape,
      Shape(region: rect(300, 300, 50, 0), width: 300, height: 300))
  }

  func testDeclaredSizeDisagreeingWithTheURL() throws {
    let spec = try imgix("w=1000", declaredWidth: 1000, declaredHeight: 500)
    XCTAssertEqual(
      try spec.plan(for: photo).shape,
      Shape(region: rect(4000, 2000, 0, 500), width: 1000, height: 500))
  }

  func testDprAndFractions() throws {
    XCTAssertEqual(try plan("w=320&dpr=2").width, 640)
    XCTAssertEqual(try plan("w=0.25").shape, Shape(region: whole, width: 1000, height: 750))
  }

  func testAspectRatioWithFitCrop() throws {
    XCTAssertEqual(
      try plan("w=1600&ar=16:9&fit=crop").shape,
      Shape(region: rect(4000, 2250, 0, 375), width: 1600, height: 900))
    let ignored = try imgix("w=1600&ar=16:9")
    XCTAssertEqual(try ignored.plan(for: photo).height, 1200)
    XCTAssertEqual(ignored.warnings.count, 1)
  }

  func testQualityFormatAndAuto() throws {
    XCTAssertEqual(try plan("w=100").quality, 75)
    XCTAssertEqual(try plan("w=100&q=40").quality, 40)
    let progressive = try imgix("fm=pjpg")
    XCTAssertEqual(progressive.format, .jpeg)
    XCTAssertTrue(progressive.progressive)
    XCTAssertEqual(try imgix("fm=webp").format, .webp)
    XCTAssertEqual(try imgix("fm=avif").format, .avif)
    XCTAssertEqual(try imgix("fm=png").format, .png)
    assertSpecError(.invalidSpec, parameter: "fm") { try imgix("fm=jp2") }
    let auto = try imgix("auto=format,compress&ixlib=rb-4.0.0&s=abc123")
    XCTAssertEqual(auto.autoFormats, [.avif, .webp])
    XCTAssertEqual(auto.warnings, [])
  }

  func testUnknownParameterIsAWarning() throws {
    let spec = try imgix("w=100&blur=20")
    XCTAssertEqual(spec.warnings.count, 1)
    XCTAssertTrue(spec.warnings[0].contains("blur"))
  }
}
