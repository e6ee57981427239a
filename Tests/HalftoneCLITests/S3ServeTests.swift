import Foundation
import HalftoneFetch
import HalftoneS3
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `serve --store` with an empty local folder: everything any machine stored, from the bucket.
final class S3ServeTests: XCTestCase {
  /// Starts `halftone serve` and returns it with its base URL.
  private func serve(_ arguments: [String], environment: [String: String]) throws -> (
    Process, String
  ) {
    let process = CLIRunner.start(
      ["serve", "--host", "127.0.0.1", "--port", "0", "--access-log", "off"] + arguments,
      environment: environment)
    try process.run()
    let output = (process.standardOutput as! Pipe).fileHandleForReading
    var seen = ""
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline, process.isRunning {
      let chunk = output.availableData
      seen += String(decoding: chunk, as: UTF8.self)
      if let range = seen.range(of: #"serving http://[0-9.:]+"#, options: .regularExpression) {
        return (process, String(seen[range].dropFirst("serving ".count)))
      }
      if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
    }
    process.terminate()
    let errors = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
    throw SeaweedError("serve did not start: \(seen) \(String(decoding: errors, as: UTF8.self))")
  }

  func testServeFromTheBucketWithAnEmptyLocalFolder() throws {
    let server = try SeaweedServer.startPrivate()
    defer { server.stop() }
    let bucket = try S3TestBucket("serve", server: server)
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    try writePhotoRecords(dir, origin: origin, count: 3, sizes: [(120, 90)])
    let prefetch = try CLIRunner.run(
      [
        "prefetch", dir.path("records.jsonl"), "--cache", dir.path("writer"),
        "--allow-private-addresses", "--quiet", "--report", dir.path("report.jsonl"),
      ], environment: bucket.environment)
    XCTAssertEqual(prefetch.status, 0, prefetch.stderr)
    let report = try String(contentsOfFile: dir.path("report.jsonl"), encoding: .utf8)
      .split(separator: "\n").map {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }

    let (process, base) = try serve(
      ["--cache", dir.path("reader"), "--local-cache-size", "64M"],
      environment: bucket.environment)
    defer { process.terminate() }
    let http = try EndpointClient()
    func get(_ path: String, _ headers: [(name: String, value: String)] = []) throws
      -> EndpointResponse
    {
      try http.perform(EndpointRequest(method: "GET", url: base + path, headers: headers))
    }

    // A corrupt original in the bucket (written behind Halftone's back) is never served as it.
    let first = try XCTUnwrap(report.first)
    let victim = try XCTUnwrap((first["original"] as? [String: Any])?["digest"] as? String)
    let victimKey = bucket.location.key("blobs/sha256/\(victim.prefix(2))/\(victim)")
    let victimBytes = try XCTUnwrap(try bucket.client.get(victimKey))
    try bucket.client.put(victimKey, Data("not the original".utf8))
    let refused = try get("/blobs/\(victim)")
    XCTAssertNotEqual(refused.status, 200)
    XCTAssertNotEqual(refused.body, Data("not the original".utf8))
    try bucket.client.put(victimKey, victimBytes)

    for line in report {
      let url = try XCTUnwrap(line["url"] as? String)
      let thumbnail = try XCTUnwrap((line["thumbnail"] as? [String: Any])?["digest"] as? String)
      let original = try XCTUnwrap((line["original"] as? [String: Any])?["digest"] as? String)
      let blob = try get("/blobs/\(thumbnail)")
      XCTAssertEqual(blob.status, 200)
      XCTAssertEqual(Digest.of(blob.body).hex, thumbnail)
      XCTAssertEqual(blob.headers["etag"], "\"\(thumbnail)\"")
      let encoded = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
      let resolved = try get("/thumbnails?url=\(encoded)&width=120&height=90")
      XCTAssertEqual(resolved.status, 200, String(decoding: resolved.body, as: UTF8.self))
      XCTAssertEqual(Digest.of(resolved.body).hex, thumbnail, "the same thumbnail as prefetch made")
      let whole = try get("/blobs/\(original)")
      XCTAssertEqual(Digest.of(whole.body).hex, original)
      let part = try get("/blobs/\(original)", [("Range", "bytes=10-99")])
      XCTAssertEqual(part.status, 206)
      XCTAssertEqual(part.body, whole.body[10...99])
    }
    XCTAssertEqual(try get("/healthz").status, 200)

    // The bucket gone: /healthz says so.
    server.kill()
    XCTAssertEqual(try get("/healthz").status, 503)
  }
}
