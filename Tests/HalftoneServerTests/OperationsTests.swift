import Foundation
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import XCTest

final class OperationsTests: XCTestCase {
  var harness: ServerHarness!

  override func setUp() async throws {
    harness = try await ServerHarness.start()
  }

  override func tearDown() async throws {
    try await harness?.stop()
  }

  func testHealthzReadsTheIndex() async throws {
    let reply = try await harness.get("/healthz")
    XCTAssertEqual(reply.status, 200)
    XCTAssertEqual(reply.text, "ok\n")
    let head = try await harness.head("/healthz")
    XCTAssertEqual(head.status, 200)
    XCTAssertTrue(head.body.isEmpty)
  }

  func testHealthzFailsWhenTheIndexCannotAnswer() async throws {
    try harness.breakIndex()

    let reply = try await harness.get("/healthz")
    XCTAssertEqual(reply.status, 503, reply.text)
    XCTAssertNotNil(reply.errorKind)
    XCTAssertTrue(reply.text.contains("index"), reply.text)
  }

  func testMetricsCountRequestsLookupsAndBytes() async throws {
    let url = "https://cdn.example.com/m.jpg?width=10"
    let spec = try ThumbnailSpec.parse(url: url)
    let original = try harness.seedOriginal(url: spec.masterURL, bytes: FakeImage.jpeg("m"))
    let thumbnail = FakeImage.jpeg("thumbnail")
    try harness.seedThumbnail(original: original, spec: spec, bytes: thumbnail, format: .jpeg)

    _ = try await harness.get(try thumbnailsPath(url))
    _ = try await harness.get(try thumbnailsPath(url))
    _ = try await harness.get(try thumbnailsPath("https://cdn.example.com/other.jpg?width=10"))
    _ = try await harness.get("/blobs/xyz")

    let reply = try await harness.get("/metrics")
    XCTAssertEqual(reply.status, 200)
    XCTAssertTrue(reply.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") ?? false)
    let text = reply.text
    for line in [
      #"halftone_http_requests_total{route="thumbnails",status="200"} 2"#,
      #"halftone_http_requests_total{route="thumbnails",status="404"} 1"#,
      #"halftone_http_requests_total{route="blobs",status="400"} 1"#,
      #"halftone_thumbnail_lookups_total{result="hit"} 2"#,
      #"halftone_thumbnail_lookups_total{result="miss"} 1"#,
      "halftone_ondemand_queue_depth 0",
    ] {
      XCTAssertTrue(text.contains(line), "missing \(line) in\n\(text)")
    }
    XCTAssertTrue(text.contains("halftone_http_request_duration_seconds_bucket"), text)
    // Bytes out: two thumbnail bodies plus the 404's JSON.
    let bytesLine = text.split(separator: "\n").first {
      $0.hasPrefix(#"halftone_http_response_bytes_total{route="thumbnails"}"#)
    }
    let bytes = Int(bytesLine?.split(separator: " ").last ?? "") ?? 0
    XCTAssertGreaterThan(bytes, 2 * thumbnail.count)
  }

  func testImagesDescribesOriginalsAndThumbnails() async throws {
    let url = "https://www.gannett-cdn.com/presto/2024/i.jpg?width=640"
    let spec = try ThumbnailSpec.parse(url: url)
    let originalBytes = FakeImage.jpeg("original")
    let original = try harness.seedOriginal(url: spec.masterURL, bytes: originalBytes)
    let thumbnail = try harness.seedThumbnail(
      original: original, spec: spec, bytes: FakeImage.jpeg("t"), format: .jpeg)
    try harness.cache.recordFailure(url: url, kind: .httpStatus, message: "HTTP 403 from origin")

    let reply = try await harness.get("/images?url=\(encoded(url))")
    XCTAssertEqual(reply.status, 200, reply.text)
    XCTAssertEqual(reply.header("Content-Type"), "application/json; charset=utf-8")
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
    XCTAssertEqual(object["url"] as? String, url)
    // The resolver's order: the master, then the URL as written.
    let sources = try XCTUnwrap(object["candidates"] as? [[String: Any]])
    XCTAssertEqual(sources.map { $0["url"] as? String }, [spec.masterURL, url])
    XCTAssertEqual(sources[1]["last_status"] as? String, "failed")
    XCTAssertEqual(sources[1]["last_error_kind"] as? String, "http_status")
    let master = sources[0]
    let originalInfo = try XCTUnwrap(master["original"] as? [String: Any])
    XCTAssertEqual(originalInfo["digest"] as? String, original.hex)
    XCTAssertEqual(originalInfo["bytes"] as? Int, originalBytes.count)
    XCTAssertEqual(originalInfo["format"] as? String, "jpeg")
    XCTAssertNotNil(originalInfo["fetched_at"] as? String)
    let thumbnails = try XCTUnwrap(master["thumbnails"] as? [[String: Any]])
    XCTAssertEqual(thumbnails.count, 1)
    XCTAssertEqual(thumbnails[0]["digest"] as? String, thumbnail.hex)
    XCTAssertEqual(thumbnails[0]["spec_key"] as? String, spec.canonicalKey)
    XCTAssertEqual(thumbnails[0]["href"] as? String, "/blobs/\(thumbnail.hex)")

    let unknown = try await harness.get("/images?url=\(encoded("https://nowhere.example/x.jpg"))")
    XCTAssertEqual(unknown.status, 404)
    XCTAssertEqual(unknown.errorKind, "not_found")
    let missing = try await harness.get("/images")
    XCTAssertEqual(missing.status, 400)
  }

  func testAccessLogHasOneLinePerRequest() async throws {
    let digest = try harness.cache.putBlob(FakeImage.jpeg("log"))
    _ = try await harness.get("/blobs/\(digest.hex)")
    _ = try await harness.get("/healthz")
    let lines = harness.accessLines().filter { $0.contains(" GET ") }
    XCTAssertEqual(lines.count, 2, "\(lines)")
    let fields = lines[0].split(separator: " ")
    XCTAssertNotNil(
      fields[0].range(
        of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression),
      "an RFC 3339 time first: \(lines[0])")
    XCTAssertEqual(fields[1], "GET")
    XCTAssertEqual(String(fields[2]), "/blobs/\(digest.hex)")
    XCTAssertEqual(fields[3], "200")
    XCTAssertEqual(Int(fields[4]), FakeImage.jpeg("log").count)
    XCTAssertNotNil(Double(fields[5]))
  }

  func testSeveralServersInOneProcessKeepSeparateMetrics() async throws {
    let other = try await ServerHarness.start()
    _ = try await other.get("/healthz")
    let mine = try await harness.get("/metrics")
    let theirs = try await other.get("/metrics")
    try await other.stop()
    XCTAssertFalse(mine.text.contains(#"route="healthz""#), mine.text)
    XCTAssertTrue(
      theirs.text.contains(#"halftone_http_requests_total{route="healthz",status="200"} 1"#))
  }
}
