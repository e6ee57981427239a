import Foundation
import HalftoneCore
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// A real 1×1 RGB PNG (69 bytes).
let tinyPNG = Data(
  base64Encoded:
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP438AAAAQBAYDFKhhdAAAAAElFTkSuQmCC")!

let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// `count` bytes that sniff as PNG: the signature, then a counting pattern (so truncation shows).
func pngLike(_ count: Int) -> Data {
  Data(
    pngSignature + (0..<max(0, count - pngSignature.count)).map { UInt8(truncatingIfNeeded: $0) })
}

extension FetchPolicy {
  /// Generous timeouts, quick retries, and the SSRF guard lifted: the test origin is 127.0.0.1.
  static func testing(_ adjust: (inout FetchPolicy) -> Void = { _ in }) -> FetchPolicy {
    var policy = FetchPolicy(
      connectTimeout: 5, totalTimeout: 20, baseBackoff: 0.01, maxBackoff: 0.05,
      allowPrivateAddresses: true)
    adjust(&policy)
    return policy
  }
}

/// A test with its own origin server and helpers to expect a failure of some kind.
class FetchTestCase: XCTestCase {
  var origin: OriginServer!

  override func setUpWithError() throws {
    origin = try OriginServer()
  }

  override func tearDown() {
    origin.stop()
    origin = nil
  }

  func makeFetcher(_ adjust: (inout FetchPolicy) -> Void = { _ in }) throws -> Fetcher {
    try Fetcher(policy: .testing(adjust))
  }

  /// Fetches `url` and returns the error it fails with (failing the test if it succeeds).
  func failure(
    _ fetcher: Fetcher, _ url: String, file: StaticString = #filePath, line: UInt = #line
  ) async -> FetchError? {
    do {
      let response = try await fetcher.fetch(FetchRequest(url: url))
      XCTFail(
        "expected \(url) to fail, got HTTP \(response.status) with \(response.body.count) bytes",
        file: file, line: line)
      return nil
    } catch {
      return error
    }
  }

  /// Fetches `url`, failing the test with the error's description if it fails.
  func success(
    _ fetcher: Fetcher, _ request: FetchRequest, file: StaticString = #filePath, line: UInt = #line
  ) async -> FetchResponse? {
    do {
      return try await fetcher.fetch(request)
    } catch {
      XCTFail("expected \(request.url) to succeed, got \(error)", file: file, line: line)
      return nil
    }
  }

  /// Polls `condition` until true or `timeout` seconds pass (generous; never a timing assertion).
  func eventually(
    timeout: TimeInterval = 20, _ what: String, file: StaticString = #filePath,
    line: UInt = #line, _ condition: () -> Bool
  ) async {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while !condition() {
      if Date() > deadline {
        XCTFail("timed out waiting for \(what)", file: file, line: line)
        return
      }
      try? await Task.sleep(nanoseconds: 10_000_000)
    }
  }
}
