import XCTest

@testable import HalftoneSpec

/// The exact decimal arithmetic behind shares, ratios and canonical keys.
final class FixedPointTests: XCTestCase {
  func testParsing() {
    XCTAssertEqual(FixedPoint.parse("12"), 12_000_000)
    XCTAssertEqual(FixedPoint.parse("0.5"), 500_000)
    XCTAssertEqual(FixedPoint.parse(".5"), 500_000)
    XCTAssertEqual(FixedPoint.parse("33.333333"), 33_333_333)
    // The seventh decimal rounds half up.
    XCTAssertEqual(FixedPoint.parse("0.3333335"), 333_334)
    XCTAssertEqual(FixedPoint.parse("0.3333334"), 333_333)
    for bad in ["", ".", "-1", "1e3", "1.2.3", "+1", "1234567890", " 1"] {
      XCTAssertNil(FixedPoint.parse(bad), bad)
    }
  }

  func testText() {
    XCTAssertEqual(FixedPoint.text(500_000), "0.5")
    XCTAssertEqual(FixedPoint.text(2_000_000), "2")
    XCTAssertEqual(FixedPoint.text(1_050_000), "1.05")
    XCTAssertEqual(FixedPoint.text(1), "0.000001")
  }

  func testRounding() {
    XCTAssertEqual(roundedQuotient(5, 2), 3)
    XCTAssertEqual(roundedQuotient(-5, 2), -3)
    XCTAssertEqual(roundedQuotient(4, 3), 1)
    XCTAssertEqual(flooredQuotient(-3, 2), -2)
    XCTAssertEqual(flooredQuotient(3, 2), 1)
  }
}
