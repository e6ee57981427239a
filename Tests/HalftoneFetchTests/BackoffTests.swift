import Foundation
import XCTest

@testable import HalftoneFetch

final class BackoffTests: XCTestCase {
  func testCapDoublesAndIsClamped() {
    XCTAssertEqual(Backoff.cap(afterAttempt: 1, base: 0.5, max: 30), 0.5)
    XCTAssertEqual(Backoff.cap(afterAttempt: 2, base: 0.5, max: 30), 1)
    XCTAssertEqual(Backoff.cap(afterAttempt: 4, base: 0.5, max: 30), 4)
    XCTAssertEqual(Backoff.cap(afterAttempt: 10, base: 0.5, max: 30), 30)
    XCTAssertEqual(Backoff.cap(afterAttempt: 10_000, base: 0.5, max: 30), 30)
  }

  func testJitterStaysWithinTheCap() {
    for attempt in 1...6 {
      let cap = Backoff.cap(afterAttempt: attempt, base: 0.5, max: 4)
      for _ in 0..<50 {
        let delay = Backoff.jittered(afterAttempt: attempt, base: 0.5, max: 4)
        XCTAssert((0...cap).contains(delay), "attempt \(attempt): \(delay) outside 0...\(cap)")
      }
    }
  }

  func testRetryAfterSeconds() {
    XCTAssertEqual(Backoff.retryAfterSeconds("1"), 1)
    XCTAssertEqual(Backoff.retryAfterSeconds(" 120 "), 120)
    XCTAssertEqual(Backoff.retryAfterSeconds("0"), 0)
    XCTAssertGreaterThan(Backoff.retryAfterSeconds("99999999999999999999999999") ?? 0, 1e20)
    XCTAssertNil(Backoff.retryAfterSeconds("-5"))
    XCTAssertNil(Backoff.retryAfterSeconds("soon"))
    XCTAssertNil(Backoff.retryAfterSeconds(""))
  }

  func testRetryAfterHTTPDates() {
    let now = Date(timeIntervalSince1970: 1_445_412_400)  // Wed, 21 Oct 2015 07:26:40 GMT
    XCTAssertEqual(Backoff.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT", now: now), 80)
    XCTAssertEqual(Backoff.retryAfterSeconds("Wednesday, 21-Oct-15 07:28:00 GMT", now: now), 80)
    XCTAssertEqual(Backoff.retryAfterSeconds("Wed Oct 21 07:28:00 2015", now: now), 80)
    XCTAssertEqual(Backoff.retryAfterSeconds("Tue, 20 Oct 2015 07:28:00 GMT", now: now), 0)
  }
}
