import Foundation
import HalftoneServer
import HalftoneStore
import XCTest

final class BlobRouteTests: XCTestCase {
  var harness: ServerHarness!

  override func setUp() async throws {
    harness = try await ServerHarness.start()
  }

  override func tearDown() async throws {
    try await harness?.stop()
  }

  func testServesBlobWithImmutableHeaders() async throws {
    let bytes = FakeImage.jpeg(String(repeating: "x", count: 1000))
    let digest = try harness.cache.putBlob(bytes)

    let reply = try await harness.get("/blobs/\(digest.hex)")

    XCTAssertEqual(reply.status, 200)
    XCTAssertEqual(reply.body, bytes)
    XCTAssertEqual(reply.header("Content-Type"), "image/jpeg")
    XCTAssertEqual(reply.header("Content-Length"), String(bytes.count))
    XCTAssertEqual(reply.header("ETag"), "\"\(digest.hex)\"")
    XCTAssertEqual(reply.header("Cache-Control"), "public, max-age=31536000, immutable")
    XCTAssertEqual(reply.header("X-Content-Type-Options"), "nosniff")
    XCTAssertEqual(reply.header("Accept-Ranges"), "bytes")
  }

  func testContentTypeComesFromTheBytes() async throws {
    let webp = try harness.cache.putBlob(FakeImage.webp("w"))
    let avif = try harness.cache.putBlob(FakeImage.avif("a"))
    let html = try harness.cache.putBlob(Data("<html><script>alert(1)</script>".utf8))

    let webpReply = try await harness.get("/blobs/\(webp.hex)")
    let avifReply = try await harness.get("/blobs/\(avif.hex)")
    let htmlReply = try await harness.get("/blobs/\(html.hex)")
    XCTAssertEqual(webpReply.header("Content-Type"), "image/webp")
    XCTAssertEqual(avifReply.header("Content-Type"), "image/avif")
    // Bytes that are no image are never served as something a browser would render.
    XCTAssertEqual(htmlReply.header("Content-Type"), "application/octet-stream")
    XCTAssertEqual(htmlReply.header("X-Content-Type-Options"), "nosniff")
  }

  func testUnknownDigestIs404WithJSON() async throws {
    let reply = try await harness.get("/blobs/\(String(repeating: "ab", count: 32))")
    XCTAssertEqual(reply.status, 404)
    XCTAssertEqual(reply.errorKind, "not_found")
    XCTAssertEqual(reply.header("Content-Type"), "application/json; charset=utf-8")
  }

  func testMalformedNamesAre400WithoutTouchingTheFilesystem() async throws {
    let digest = try harness.cache.putBlob(FakeImage.jpeg("real"))
    // Files a traversal would reach if the name were used as a path.
    let secret = Data("top secret".utf8)
    try secret.write(to: harness.root.appendingPathComponent("secret"))
    try secret.write(to: harness.root.appendingPathComponent("blobs/sha256/secret"))
    try secret.write(to: harness.root.appendingPathComponent("blobs/sha256/\(digest.shard)/..x"))

    let targets = [
      "/blobs/..", "/blobs/../secret", "/blobs/../../secret", "/blobs/%2e%2e",
      "/blobs/%2e%2e/secret", "/blobs/%2E%2E%2Fsecret", "/blobs/..%2fsecret",
      "/blobs/\(digest.hex.uppercased())", "/blobs/\(digest.hex.prefix(63))",
      "/blobs/\(digest.hex)0", "/blobs/\(digest.hex)/", "/blobs/\(digest.shard)/\(digest.hex)",
      "/blobs/", "/blobs", "/blobs/secret", "/blobs/%00\(digest.hex.dropFirst())",
      "/blobs/\(digest.hex.dropLast(2))..", "/blobs/sha256:\(digest.hex)",
    ]
    for target in targets {
      let reply = try await harness.get(target)
      XCTAssertEqual(reply.status, 400, target)
      XCTAssertEqual(reply.errorKind, "invalid_digest", target)
      XCTAssertFalse(reply.text.contains("top secret"), target)
    }
    // The raw socket really sent the dots (curl would have normalised them away).
    let accessLog = harness.accessLines().joined(separator: "\n")
    XCTAssertTrue(accessLog.contains("GET /blobs/../../secret 400"), accessLog)
  }

  func testIfNoneMatchGives304() async throws {
    let digest = try harness.cache.putBlob(FakeImage.jpeg("etag"))
    let etag = "\"\(digest.hex)\""

    let exact = try await harness.get("/blobs/\(digest.hex)", headers: [("If-None-Match", etag)])
    XCTAssertEqual(exact.status, 304)
    XCTAssertTrue(exact.body.isEmpty)
    XCTAssertEqual(exact.header("ETag"), etag)
    XCTAssertEqual(exact.header("Cache-Control"), "public, max-age=31536000, immutable")

    let list = try await harness.get(
      "/blobs/\(digest.hex)", headers: [("If-None-Match", "\"other\", W/\(etag)")])
    XCTAssertEqual(list.status, 304)

    let other = try await harness.get(
      "/blobs/\(digest.hex)",
      headers: [("If-None-Match", "\"\(String(repeating: "0", count: 64))\"")])
    XCTAssertEqual(other.status, 200)
  }

  func testSingleRangesGive206() async throws {
    let bytes = FakeImage.jpeg("0123456789abcdefghij")  // 24 bytes
    let digest = try harness.cache.putBlob(bytes)
    let path = "/blobs/\(digest.hex)"

    let middle = try await harness.get(path, headers: [("Range", "bytes=4-9")])
    XCTAssertEqual(middle.status, 206)
    XCTAssertEqual(middle.body, bytes[4...9])
    XCTAssertEqual(middle.header("Content-Range"), "bytes 4-9/24")
    XCTAssertEqual(middle.header("Content-Length"), "6")
    XCTAssertEqual(middle.header("Content-Type"), "image/jpeg")

    let open = try await harness.get(path, headers: [("Range", "bytes=20-")])
    XCTAssertEqual(open.status, 206)
    XCTAssertEqual(open.body, bytes[20...])
    XCTAssertEqual(open.header("Content-Range"), "bytes 20-23/24")

    let suffix = try await harness.get(path, headers: [("Range", "bytes=-5")])
    XCTAssertEqual(suffix.status, 206)
    XCTAssertEqual(suffix.body, bytes.suffix(5))
    XCTAssertEqual(suffix.header("Content-Range"), "bytes 19-23/24")

    let pastEnd = try await harness.get(path, headers: [("Range", "bytes=10-999")])
    XCTAssertEqual(pastEnd.status, 206)
    XCTAssertEqual(pastEnd.header("Content-Range"), "bytes 10-23/24")
    XCTAssertEqual(pastEnd.body, bytes[10...])
  }

  func testUnsatisfiableRangeGives416() async throws {
    let bytes = FakeImage.jpeg("short")
    let digest = try harness.cache.putBlob(bytes)
    for range in ["bytes=100-200", "bytes=\(bytes.count)-", "bytes=-0"] {
      let reply = try await harness.get("/blobs/\(digest.hex)", headers: [("Range", range)])
      XCTAssertEqual(reply.status, 416, range)
      XCTAssertEqual(reply.header("Content-Range"), "bytes */\(bytes.count)", range)
      XCTAssertTrue(reply.body.isEmpty, range)
    }
  }

  func testMultipleOrMalformedRangesServeTheWholeBlob() async throws {
    let bytes = FakeImage.jpeg("whole body please")
    let digest = try harness.cache.putBlob(bytes)
    for range in ["bytes=0-1,4-5", "bytes=5-2", "items=0-3", "bytes=abc"] {
      let reply = try await harness.get("/blobs/\(digest.hex)", headers: [("Range", range)])
      XCTAssertEqual(reply.status, 200, range)
      XCTAssertEqual(reply.body, bytes, range)
    }
    // If-Range naming another version: the client's partial copy is stale, send everything.
    let stale = try await harness.get(
      "/blobs/\(digest.hex)", headers: [("Range", "bytes=0-3"), ("If-Range", "\"old\"")])
    XCTAssertEqual(stale.status, 200)
    let current = try await harness.get(
      "/blobs/\(digest.hex)",
      headers: [("Range", "bytes=0-3"), ("If-Range", "\"\(digest.hex)\"")])
    XCTAssertEqual(current.status, 206)
  }

  func testHeadHasHeadersAndNoBody() async throws {
    let bytes = FakeImage.webp(String(repeating: "h", count: 500))
    let digest = try harness.cache.putBlob(bytes)

    let reply = try await harness.head("/blobs/\(digest.hex)")
    XCTAssertEqual(reply.status, 200)
    XCTAssertEqual(reply.header("Content-Length"), String(bytes.count))
    XCTAssertEqual(reply.header("Content-Type"), "image/webp")
    XCTAssertEqual(reply.header("ETag"), "\"\(digest.hex)\"")
    XCTAssertTrue(reply.body.isEmpty, "HEAD sent \(reply.body.count) body bytes")

    let ranged = try await RawHTTPClient.get(
      port: harness.port, "/blobs/\(digest.hex)", method: "HEAD",
      headers: [("Range", "bytes=0-9")])
    XCTAssertEqual(ranged.status, 206)
    XCTAssertEqual(ranged.header("Content-Length"), "10")
    XCTAssertTrue(ranged.body.isEmpty)

    let missing = try await harness.head("/blobs/\(String(repeating: "0", count: 64))")
    XCTAssertEqual(missing.status, 404)
    XCTAssertTrue(missing.body.isEmpty)
  }

  func testLargeBlobIsStreamedInChunks() async throws {
    try await harness.stop()
    harness = try await ServerHarness.start {
      $0.blobChunkBytes = 4096
      $0.memoryCacheBytes = 0
    }
    var bytes = FakeImage.jpeg("big")
    bytes.append(Data((0..<50_000).map { UInt8($0 % 251) }))
    let digest = try harness.cache.putBlob(bytes)

    let whole = try await harness.get("/blobs/\(digest.hex)")
    XCTAssertEqual(whole.status, 200)
    XCTAssertEqual(whole.body, bytes)
    XCTAssertEqual(whole.header("Content-Type"), "image/jpeg")

    let range = try await harness.get(
      "/blobs/\(digest.hex)", headers: [("Range", "bytes=1000-20999")])
    XCTAssertEqual(range.status, 206)
    XCTAssertEqual(range.body, bytes[1000...20999])
  }

  func testOtherMethodsAndRoutes() async throws {
    let digest = try harness.cache.putBlob(FakeImage.jpeg("m"))
    let post = try await RawHTTPClient.get(
      port: harness.port, "/blobs/\(digest.hex)", method: "POST")
    XCTAssertEqual(post.status, 405)
    XCTAssertEqual(post.header("Allow"), "GET, HEAD")
    XCTAssertEqual(post.errorKind, "method_not_allowed")

    let unknown = try await harness.get("/nope")
    XCTAssertEqual(unknown.status, 404)
    XCTAssertEqual(unknown.errorKind, "not_found")

    let long = try await harness.get("/thumbnails?url=" + String(repeating: "a", count: 9000))
    XCTAssertEqual(long.status, 414)
    XCTAssertEqual(long.errorKind, "uri_too_long")
  }

  func testOversizedRequestsAreRefused() async throws {
    let hugeTarget = try await harness.get(
      "/thumbnails?url=" + String(repeating: "a", count: 200_000))
    // Past the parser's header budget the request line itself is refused (400, connection
    // closed) before any of it is buffered further; between 8 KB and that, 414 (see above).
    XCTAssertEqual(hugeTarget.status, 400)
    let hugeHeader = try await harness.get(
      "/healthz", headers: [("X-Filler", String(repeating: "b", count: 40_000))])
    XCTAssertEqual(hugeHeader.status, 400)
    let manyHeaders = try await harness.get(
      "/healthz", headers: (0..<200).map { ("X-H\($0)", "v") })
    XCTAssertEqual(manyHeaders.status, 400)
    // The server is still fine afterwards.
    let health = try await harness.get("/healthz")
    XCTAssertEqual(health.status, 200)
  }

  func testServedBlobsGetTheirAccessTimeRecorded() async throws {
    let digest = try harness.cache.putBlob(FakeImage.jpeg("lru"))
    XCTAssertNil(try harness.cache.lastAccess(digest))
    _ = try await harness.get("/blobs/\(digest.hex)")
    // Recorded in memory on the request path; written by the batch flush.
    harness.server.flushAccessTimes()
    XCTAssertNotNil(try harness.cache.lastAccess(digest))
  }
}

/// The same answers when blobs are read from their files (memory cache off, or blobs too large
/// for it), and what the memory cache changes.
final class BlobFileAndMemoryTests: XCTestCase {
  func testAnswersFromFilesMatchAnswersFromMemory() async throws {
    let bytes = FakeImage.jpeg(String(repeating: "f", count: 3000))
    for memory in [0, 1 << 20] {
      let harness = try await ServerHarness.start {
        $0.memoryCacheBytes = memory
        $0.blobChunkBytes = 1 << 20
      }
      let digest = try harness.cache.putBlob(bytes)
      let path = "/blobs/\(digest.hex)"
      let label = "memory cache \(memory)"

      for _ in 0..<2 {  // cold, then warm
        let whole = try await harness.get(path)
        XCTAssertEqual(whole.status, 200, label)
        XCTAssertEqual(whole.body, bytes, label)
        XCTAssertEqual(whole.header("Content-Type"), "image/jpeg", label)
        XCTAssertEqual(whole.header("ETag"), "\"\(digest.hex)\"", label)
        let head = try await harness.head(path)
        XCTAssertEqual(head.header("Content-Length"), String(bytes.count), label)
        XCTAssertTrue(head.body.isEmpty, label)
        let range = try await harness.get(path, headers: [("Range", "bytes=10-19")])
        XCTAssertEqual(range.status, 206, label)
        XCTAssertEqual(range.body, bytes[10...19], label)
        XCTAssertEqual(range.header("Content-Range"), "bytes 10-19/\(bytes.count)", label)
        let beyond = try await harness.get(path, headers: [("Range", "bytes=99999-")])
        XCTAssertEqual(beyond.status, 416, label)
        XCTAssertEqual(beyond.header("Content-Range"), "bytes */\(bytes.count)", label)
        let notModified = try await harness.get(
          path, headers: [("If-None-Match", "\"\(digest.hex)\"")])
        XCTAssertEqual(notModified.status, 304, label)
        XCTAssertNil(notModified.header("Content-Length"), label)
      }
      try await harness.stop()
    }
  }

  func testMemoryCopyIsUsedThenExpires() async throws {
    let bytes = FakeImage.jpeg("kept in memory")
    // Long lifetime: after the first answer the file is not read again, even once deleted.
    let keeping = try await ServerHarness.start { $0.memoryCacheLifetime = 3600 }
    let digest = try keeping.cache.putBlob(bytes)
    let first = try await keeping.get("/blobs/\(digest.hex)")
    XCTAssertEqual(first.status, 200)
    try keeping.cache.backend.remove(digest)
    let fromMemory = try await keeping.get("/blobs/\(digest.hex)")
    XCTAssertEqual(fromMemory.status, 200)
    XCTAssertEqual(fromMemory.body, bytes)
    try await keeping.stop()

    // Zero lifetime: every request goes back to the file, so a deleted blob is a 404 at once.
    let expiring = try await ServerHarness.start { $0.memoryCacheLifetime = 0 }
    let again = try expiring.cache.putBlob(bytes)
    let served = try await expiring.get("/blobs/\(again.hex)")
    XCTAssertEqual(served.status, 200)
    try expiring.cache.backend.remove(again)
    let gone = try await expiring.get("/blobs/\(again.hex)")
    XCTAssertEqual(gone.status, 404)
    try await expiring.stop()
  }

  func testBlobsLargerThanTheMemoryLimitAreReadFromTheFileEachTime() async throws {
    let harness = try await ServerHarness.start { $0.memoryCacheMaxBlobBytes = 100 }
    let bytes = FakeImage.jpeg(String(repeating: "L", count: 500))
    let digest = try harness.cache.putBlob(bytes)
    let first = try await harness.get("/blobs/\(digest.hex)")
    XCTAssertEqual(first.body, bytes)
    try harness.cache.backend.remove(digest)
    let second = try await harness.get("/blobs/\(digest.hex)")
    XCTAssertEqual(second.status, 404, "a large blob is never answered from memory")
    try await harness.stop()
  }
}
