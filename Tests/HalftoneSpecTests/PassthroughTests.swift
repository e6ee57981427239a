import HalftoneSpec
import XCTest

/// Recognising an image the CDN already transformed (fetched with its query).
final class PassthroughTests: XCTestCase {
  func testSeedOutputSizeIsRecognised() throws {
    let spec = try ThumbnailSpec.parse(
      url: fastlyURL("crop=3104,2328,x175,y0&quality=50&width=640"), declaredWidth: 640,
      declaredHeight: 480)
    XCTAssertTrue(spec.isAlreadyTransformed(source(640, 480)))
    XCTAssertTrue(spec.isAlreadyTransformed(source(640, 481)))
    XCTAssertFalse(spec.isAlreadyTransformed(source(3279, 2328)))
    let plan = try spec.passthroughPlan(for: source(640, 480))
    XCTAssertEqual(
      plan,
      ThumbnailPlan(
        region: rect(640, 480, 0, 0), width: 640, height: 480, format: .jpeg, quality: 50))
  }

  func testWidthAloneAndUnknowableSizes() throws {
    let width = try ThumbnailSpec.parse(url: fastlyURL("width=640"))
    XCTAssertTrue(width.isAlreadyTransformed(source(640, 427)))
    XCTAssertFalse(width.isAlreadyTransformed(source(1280, 854)))
    let share = try ThumbnailSpec.parse(url: fastlyURL("width=0.5"))
    XCTAssertFalse(share.isAlreadyTransformed(source(640, 480)))
    let none = try ThumbnailSpec.parse(url: fastlyURL("quality=50"))
    XCTAssertFalse(none.isAlreadyTransformed(source(640, 480)))
  }
}
