import Foundation
import HalftoneServer
import HalftoneStore
import XCTest

/// Hot blobs answered on the event loop (`HotBlobChannelHandler`) get the same answer, metrics,
/// access times and log lines as through Hummingbird; everything else still goes through it.
final class HotBlobFastPathTests: XCTestCase {
  private let bytes = FakeImage.jpeg(String(repeating: "0123456789", count: 30))

  /// One request of every kind a blob in memory can be answered with.
  private func variants(_ digest: Digest) -> [(String, String, [(String, String)])] {
    let etag = "\"\(digest.hex)\""
    return [
      ("GET", "GET", []),
      ("HEAD", "HEAD", []),
      ("If-None-Match", "GET", [("If-None-Match", etag)]),
      ("If-None-Match list", "GET", [("If-None-Match", "\"other\", W/\(etag)")]),
      (
        "If-None-Match other", "GET",
        [("If-None-Match", "\"\(String(repeating: "0", count: 64))\"")]
      ),
      ("HEAD If-None-Match", "HEAD", [("If-None-Match", etag)]),
      ("Range", "GET", [("Range", "bytes=4-9")]),
      ("suffix Range", "GET", [("Range", "bytes=-5")]),
      ("HEAD Range", "HEAD", [("Range", "bytes=0-9")]),
      ("unsatisfiable Range", "GET", [("Range", "bytes=9999-")]),
      ("several ranges", "GET", [("Range", "bytes=0-1,4-5")]),
      ("stale If-Range", "GET", [("Range", "bytes=0-3"), ("If-Range", "\"old\"")]),
      ("current If-Range", "GET", [("Range", "bytes=0-3"), ("If-Range", etag)]),
    ]
  }

  func testFastPathAnswersByteForByteAsTheGeneralPath() async throws {
    // Memory entries live an hour: on a starved machine the default 10 s could expire mid-test.
    let fast = try await ServerHarness.start { $0.memoryCacheLifetime = 3600 }
    let general = try await ServerHarness.start {
      $0.hotBlobFastPath = false
      $0.memoryCacheLifetime = 3600
    }
    let digest = try fast.cache.putBlob(bytes)
    XCTAssertEqual(try general.cache.putBlob(bytes), digest)
    let path = "/blobs/\(digest.hex)"

    // The first request misses memory: the general path reads the file and keeps the blob.
    let cold = try await fast.raw(path)
    _ = try await general.raw(path)
    let missesAnswered = try await fast.fastPathResponses()
    XCTAssertEqual(missesAnswered, 0)
    let warm = try await fast.raw(path)
    assertSameExceptDate(warm, cold, "second request (fast path) vs first (general path)")
    let warmAnswered = try await fast.fastPathResponses()
    XCTAssertEqual(warmAnswered, 1)

    let cases = variants(digest)
    for (label, method, headers) in cases {
      let answered = try await fast.raw(path, method: method, headers: headers)
      let expected = try await general.raw(path, method: method, headers: headers)
      assertSameExceptDate(answered, expected, label)
    }
    let allAnswered = try await fast.fastPathResponses()
    XCTAssertEqual(allAnswered, 1 + cases.count, "every variant was answered on the fast path")
    let generalAnswered = try await general.fastPathResponses()
    XCTAssertEqual(generalAnswered, 0, "the fast path is off on the other server")

    let reply = try RawHTTPClient.parse(warm)
    XCTAssertEqual(reply.header("Server"), "halftone")
    let date = try XCTUnwrap(reply.header("Date"))
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    let parsed = try XCTUnwrap(formatter.date(from: date), date)
    XCTAssertEqual(parsed.timeIntervalSinceNow, 0, accuracy: 5, date)
    XCTAssertEqual(formatter.string(from: parsed), date, "IMF-fixdate, as Hummingbird writes it")

    try await fast.stop()
    try await general.stop()
  }

  func testRequestsTheFastPathMustNotAnswerGoTheGeneralPath() async throws {
    let harness = try await ServerHarness.start { $0.memoryCacheLifetime = 3600 }
    let digest = try harness.cache.putBlob(bytes)
    let path = "/blobs/\(digest.hex)"
    _ = try await harness.get(path)  // in memory from now on

    for target in ["/blobs/\(digest.hex.uppercased())", "\(path)/", "/blobs/%2e%2e/\(digest.hex)"] {
      let reply = try await harness.get(target)
      XCTAssertEqual(reply.status, 400, target)
      XCTAssertEqual(reply.errorKind, "invalid_digest", target)
    }
    let withQuery = try await harness.get(path + "?v=1")
    XCTAssertEqual(withQuery.status, 200)
    XCTAssertEqual(withQuery.body, bytes)
    let post = try await RawHTTPClient.get(port: harness.port, path, method: "POST")
    XCTAssertEqual(post.status, 405)
    // A request body (never read by any route) is left to Hummingbird, which skips it.
    var withBody = RawHTTPClient.request(
      port: harness.port, path, headers: [("Content-Length", "4")])
    withBody.append(Data("abcd".utf8))
    let bodied = try await RawHTTPClient.send(port: harness.port, withBody)
    XCTAssertEqual(bodied.status, 200)
    XCTAssertEqual(bodied.body, bytes)
    let noneYet = try await harness.fastPathResponses()
    XCTAssertEqual(noneYet, 0)

    // The blob was hot all along: a plain request is answered on the fast path.
    let plain = try await harness.get(path)
    XCTAssertEqual(plain.body, bytes)
    let answered = try await harness.fastPathResponses()
    XCTAssertEqual(answered, 1)
    try await harness.stop()
  }

  func testFastPathAnswersAreCountedLoggedAndRecordedForGC() async throws {
    let clock = CacheClock(Date(timeIntervalSince1970: 1_700_000_000))
    let harness = try await ServerHarness.start(
      configure: { $0.memoryCacheLifetime = 3600 },
      configureCache: {
        $0.clock = { clock.now }
        $0.accessResolution = 0
      })
    let digest = try harness.cache.putBlob(bytes)
    let path = "/blobs/\(digest.hex)"
    _ = try await harness.get(path)  // general path
    harness.server.flushAccessTimes()
    XCTAssertEqual(try harness.cache.lastAccess(digest), clock.now)

    clock.advance(100)
    for _ in 0..<3 {
      let reply = try await harness.get(path)
      XCTAssertEqual(reply.body, bytes)
    }
    _ = try await harness.head(path)
    let notModified = try await harness.get(path, headers: [("If-None-Match", "\"\(digest.hex)\"")])
    XCTAssertEqual(notModified.status, 304)
    let answered = try await harness.fastPathResponses()
    XCTAssertEqual(answered, 5)
    harness.server.flushAccessTimes()
    XCTAssertEqual(
      try harness.cache.lastAccess(digest), clock.now, "a fast-path answer is an access for gc")

    let ok = try await harness.metric(#"halftone_http_requests_total{route="blobs",status="200"}"#)
    XCTAssertEqual(ok, 5)
    let notModifiedCount = try await harness.metric(
      #"halftone_http_requests_total{route="blobs",status="304"}"#)
    XCTAssertEqual(notModifiedCount, 1)
    let sent = try await harness.metric(#"halftone_http_response_bytes_total{route="blobs"}"#)
    XCTAssertEqual(sent, Double(4 * bytes.count), "bodies of the four GETs answered 200")
    let timed = try await harness.metric(
      #"halftone_http_request_duration_seconds_count{route="blobs"}"#)
    XCTAssertEqual(timed, 6)

    let lines = harness.accessLines().filter { $0.contains(" /blobs/") }
    XCTAssertEqual(lines.count, 6, "\(lines)")
    let expected = [
      "GET 200 \(bytes.count)", "GET 200 \(bytes.count)", "GET 200 \(bytes.count)",
      "GET 200 \(bytes.count)", "HEAD 200 0", "GET 304 0",
    ]
    for (line, expectation) in zip(lines, expected) {
      let fields = line.split(separator: " ")
      XCTAssertEqual(fields.count, 6, line)
      XCTAssertTrue(fields[0].hasSuffix("Z"), line)
      XCTAssertEqual(String(fields[2]), path, line)
      XCTAssertEqual("\(fields[1]) \(fields[3]) \(fields[4])", expectation, line)
      XCTAssertNotNil(Double(fields[5]), line)
    }
    try await harness.stop()
  }

  /// `got` and `expected` byte for byte, but for the value of the `Date` header.
  private func assertSameExceptDate(
    _ got: Data, _ expected: Data, _ label: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertNotNil(got.range(of: Data("\r\nDate: ".utf8)), label, file: file, line: line)
    XCTAssertEqual(
      withoutDate(got), withoutDate(expected),
      "\(label):\n\(String(decoding: got, as: UTF8.self))\n---\n"
        + String(decoding: expected, as: UTF8.self), file: file, line: line)
  }

  private func withoutDate(_ raw: Data) -> Data {
    guard let start = raw.range(of: Data("\r\nDate: ".utf8)),
      let end = raw.range(of: Data("\r\n".utf8), in: start.upperBound..<raw.endIndex)
    else { return raw }
    return raw[..<start.upperBound] + Data("-".utf8) + raw[end.lowerBound...]
  }
}

/// The cache's notion of now, moved by the test.
private final class CacheClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  init(_ start: Date) { current = start }

  var now: Date { lock.withLock { current } }

  func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}
