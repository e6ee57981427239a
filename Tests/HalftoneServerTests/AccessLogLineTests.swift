import Foundation
import XCTest

@testable import HalftoneServer

/// The access log's line format, byte for byte (the formatter builds it from integers).
final class AccessLogLineTests: XCTestCase {
  func testLinesAreFormattedExactly() {
    var formatter = LineFormatter()
    // 2026-12-03T07:10:00.123Z
    let time = Date(timeIntervalSince1970: 1_796_281_800.123_4)
    var text = ""
    for duration in [Duration.microseconds(112), .milliseconds(1_500), .zero] {
      formatter.format(
        AccessLogWriter.Entry(
          time: time, method: "GET", target: "/blobs/ab", status: 200, bytes: 5120,
          duration: duration),
        into: &text)
    }
    formatter.format(
      AccessLogWriter.Entry(
        time: Date(timeIntervalSince1970: 1_767_225_599.999_9), method: "HEAD", target: "/x",
        status: 404, bytes: 0, duration: .seconds(12)),
      into: &text)
    XCTAssertEqual(
      text,
      """
      2026-12-03T07:10:00.123Z GET /blobs/ab 200 5120 0.000112
      2026-12-03T07:10:00.123Z GET /blobs/ab 200 5120 1.500000
      2026-12-03T07:10:00.123Z GET /blobs/ab 200 5120 0.000000
      2025-12-31T23:59:59.999Z HEAD /x 404 0 12.000000

      """)
  }
}
