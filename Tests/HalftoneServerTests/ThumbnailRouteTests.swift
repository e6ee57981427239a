import Foundation
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import XCTest

final class ThumbnailRouteTests: XCTestCase {
  var harness: ServerHarness!

  override func setUp() async throws {
    // These tests change the index between requests: no remembered lookups.
    harness = try await ServerHarness.start { $0.memoryCacheLifetime = 0 }
  }

  override func tearDown() async throws {
    try await harness?.stop()
  }

  /// A Fastly URL: the original is stored under its master (the query-less URL), the thumbnail
  /// under the spec key of the URL plus the declared size.
  func testHitThroughTheMasterURL() async throws {
    let url = "https://www.gannett-cdn.com/presto/2024/photo.jpg?crop=1600,900,x0,y0&width=640"
    let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 320, declaredHeight: 180)
    XCTAssertEqual(spec.masterURL, "https://www.gannett-cdn.com/presto/2024/photo.jpg")
    let original = try harness.seedOriginal(url: spec.masterURL, bytes: FakeImage.jpeg("master"))
    let thumbnailBytes = FakeImage.jpeg("thumb 320x180")
    let thumbnail = try harness.seedThumbnail(
      original: original, spec: spec, bytes: thumbnailBytes, format: .jpeg)

    let reply = try await harness.get(try thumbnailsPath(url, width: 320, height: 180))

    XCTAssertEqual(reply.status, 200, reply.text)
    XCTAssertEqual(reply.body, thumbnailBytes)
    XCTAssertEqual(reply.header("ETag"), "\"\(thumbnail.hex)\"")
    XCTAssertEqual(reply.header("Content-Type"), "image/jpeg")
    XCTAssertEqual(reply.header("Cache-Control"), "public, max-age=31536000, immutable")
    XCTAssertEqual(reply.header("X-Content-Type-Options"), "nosniff")
    XCTAssertEqual(reply.header("Accept-Ranges"), "bytes")
    XCTAssertNil(reply.header("Vary"), "no auto= formats: nothing to negotiate")

    // Another declared size is another thumbnail: not in the cache.
    let other = try await harness.get(try thumbnailsPath(url, width: 640, height: 360))
    XCTAssertEqual(other.status, 404)
    XCTAssertEqual(other.errorKind, "not_found")

    // The same thumbnail answers conditional, partial and HEAD requests like a blob.
    let path = try thumbnailsPath(url, width: 320, height: 180)
    let conditional = try await harness.get(
      path, headers: [("If-None-Match", "\"\(thumbnail.hex)\"")])
    XCTAssertEqual(conditional.status, 304)
    let partial = try await harness.get(path, headers: [("Range", "bytes=0-2")])
    XCTAssertEqual(partial.status, 206)
    XCTAssertEqual(partial.body, thumbnailBytes.prefix(3))
    let head = try await harness.head(path)
    XCTAssertEqual(head.status, 200)
    XCTAssertEqual(head.header("Content-Length"), String(thumbnailBytes.count))
    XCTAssertTrue(head.body.isEmpty)
  }

  /// When only the URL as written was fetched (the master answered 4xx), it is found second.
  func testHitThroughTheURLAsWritten() async throws {
    let url = "https://cdn.example.com/img/a.jpg?width=300"
    let spec = try ThumbnailSpec.parse(url: url)
    XCTAssertNotEqual(spec.masterURL, url)
    let original = try harness.seedOriginal(url: url, bytes: FakeImage.jpeg("as written"))
    let bytes = FakeImage.jpeg("thumb from as-written")
    try harness.seedThumbnail(original: original, spec: spec, bytes: bytes, format: .jpeg)

    let reply = try await harness.get(try thumbnailsPath(url))
    XCTAssertEqual(reply.status, 200, reply.text)
    XCTAssertEqual(reply.body, bytes)
  }

  func testAcceptPicksAmongStoredFormats() async throws {
    let url = "https://cdn.example.com/img/b.jpg?width=300&auto=avif,webp"
    let spec = try ThumbnailSpec.parse(url: url)
    XCTAssertEqual(spec.autoFormats, [.avif, .webp])
    let original = try harness.seedOriginal(url: spec.masterURL, bytes: FakeImage.jpeg("b"))
    let jpeg = FakeImage.jpeg("plain")
    let webp = FakeImage.webp("negotiated webp")
    try harness.seedThumbnail(original: original, spec: spec, bytes: jpeg, format: .jpeg)
    try harness.seedThumbnail(
      original: original, spec: spec.negotiated(accepting: [.webp]), bytes: webp, format: .webp)
    let path = try thumbnailsPath(url)

    let browser = try await harness.get(
      path, headers: [("Accept", "image/avif;q=0,image/webp,image/*,*/*;q=0.8")])
    XCTAssertEqual(browser.status, 200, browser.text)
    XCTAssertEqual(browser.body, webp)
    XCTAssertEqual(browser.header("Content-Type"), "image/webp")
    XCTAssertEqual(browser.header("Vary"), "Accept")

    // AVIF preferred and accepted but not stored: the next accepted offer, WebP, answers.
    let avifFirst = try await harness.get(path, headers: [("Accept", "image/avif,image/webp")])
    XCTAssertEqual(avifFirst.status, 200)
    XCTAssertEqual(avifFirst.body, webp)
    XCTAssertEqual(avifFirst.header("Vary"), "Accept")

    // AVIF only, not stored: the plain thumbnail.
    let avifOnly = try await harness.get(path, headers: [("Accept", "image/avif,image/*")])
    XCTAssertEqual(avifOnly.body, jpeg)

    let plain = try await harness.get(path, headers: [("Accept", "image/jpeg")])
    XCTAssertEqual(plain.body, jpeg)
    XCTAssertEqual(plain.header("Content-Type"), "image/jpeg")
    XCTAssertEqual(plain.header("Vary"), "Accept")

    let none = try await harness.get(path)
    XCTAssertEqual(none.body, jpeg)

    // Once AVIF is stored, an AVIF-accepting client gets it.
    let avif = FakeImage.avif("negotiated avif")
    try harness.seedThumbnail(
      original: original, spec: spec.negotiated(accepting: [.avif]), bytes: avif, format: .avif)
    let avifReply = try await harness.get(path, headers: [("Accept", "image/avif,image/webp")])
    XCTAssertEqual(avifReply.body, avif)
    XCTAssertEqual(avifReply.header("Content-Type"), "image/avif")
  }

  func testFormatParameterForcesTheFormat() async throws {
    let url = "https://cdn.example.com/img/c.jpg?width=200&auto=webp"
    var forced = try ThumbnailSpec.parse(url: url)
    try forced.override(width: nil, height: nil, format: .png, quality: nil)
    let original = try harness.seedOriginal(url: forced.masterURL, bytes: FakeImage.jpeg("c"))
    let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data("png".utf8)
    try harness.seedThumbnail(original: original, spec: forced, bytes: png, format: .png)

    let reply = try await harness.get(
      try thumbnailsPath(url, format: .png), headers: [("Accept", "image/webp")])
    XCTAssertEqual(reply.status, 200, reply.text)
    XCTAssertEqual(reply.header("Content-Type"), "image/png")
    XCTAssertNil(reply.header("Vary"), "a forced format does not depend on Accept")
  }

  func testMissIs404WithJSONBody() async throws {
    let reply = try await harness.get(
      try thumbnailsPath("https://cdn.example.com/none.jpg?width=10"))
    XCTAssertEqual(reply.status, 404)
    XCTAssertEqual(reply.header("Content-Type"), "application/json; charset=utf-8")
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
    let error = try XCTUnwrap(object["error"] as? [String: Any])
    XCTAssertEqual(error["kind"] as? String, "not_found")
    XCTAssertTrue((error["message"] as? String ?? "").contains("none.jpg"))
  }

  func testBadRequestsName400Kinds() async throws {
    let cases: [(String, String)] = [
      ("/thumbnails", "invalid_url"),
      ("/thumbnails?width=10", "invalid_url"),
      ("/thumbnails?url=", "invalid_url"),
      ("/thumbnails?url=\(encoded("not a url"))", "invalid_url"),
      ("/thumbnails?url=\(encoded("ftp://example.com/a.jpg"))", "unsupported_scheme"),
      ("/thumbnails?url=\(encoded("file:///etc/passwd"))", "unsupported_scheme"),
      ("/thumbnails?url=\(encoded("https://example.com/a.jpg"))&width=0", "invalid_spec"),
      ("/thumbnails?url=\(encoded("https://example.com/a.jpg"))&width=9000", "invalid_spec"),
      ("/thumbnails?url=\(encoded("https://example.com/a.jpg"))&height=-4", "invalid_spec"),
      ("/thumbnails?url=\(encoded("https://example.com/a.jpg"))&width=1.5", "invalid_spec"),
      ("/thumbnails?url=\(encoded("https://example.com/a.jpg"))&format=gif", "invalid_spec"),
      ("/thumbnails?url=\(encoded("https://example.com/a.jpg"))&colour=red", "invalid_spec"),
      ("/thumbnails?url=\(encoded("https://example.com/a.jpg"))&width=5&width=6", "invalid_spec"),
      ("/thumbnails?url=\(encoded("https://x.example.com/a.jpg?crop=abc"))", "invalid_spec"),
    ]
    for (target, kind) in cases {
      let reply = try await harness.get(target)
      XCTAssertEqual(reply.status, 400, target)
      XCTAssertEqual(reply.errorKind, kind, "\(target): \(reply.text)")
    }
  }

  func testRecentHitsAreRememberedForTheirLifetime() async throws {
    let url = "https://cdn.example.com/img/memo.jpg?width=300"
    let spec = try ThumbnailSpec.parse(url: url)
    for lifetime in [0.0, 3600] {
      let harness = try await ServerHarness.start { $0.memoryCacheLifetime = lifetime }
      let original = try harness.seedOriginal(url: spec.masterURL, bytes: FakeImage.jpeg("m"))
      try harness.seedThumbnail(
        original: original, spec: spec, bytes: FakeImage.jpeg("memo"), format: .jpeg)
      let first = try await harness.get(try thumbnailsPath(url))
      XCTAssertEqual(first.status, 200)
      // From now on every index read fails.
      try harness.breakIndex()
      let second = try await harness.get(try thumbnailsPath(url))
      if lifetime > 0 {
        XCTAssertEqual(second.status, 200, "remembered hit, no index read")
      } else {
        XCTAssertEqual(second.status, 500, "without memory every hit reads the index")
      }
      try await harness.stop()
    }
  }
}
