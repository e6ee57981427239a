import Foundation
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import XCTest

final class CanonicalQueryTests: XCTestCase {
  func testEncodingsOfTheSameParametersShareOneCanonicalForm() {
    let variants = [
      "url=https%3A%2F%2Fa.example%2Fx.jpg%3Fw%3D1%2C2&width=10&sig=abc",
      "width=10&url=https://a.example/x.jpg?w=1,2",
      "width=10&url=https%3a%2f%2fa.example%2fx.jpg%3fw%3d1%2c2",
    ]
    let canonical = variants.map { CanonicalQuery.canonical(CanonicalQuery.items(Substring($0))) }
    XCTAssertEqual(Set(canonical).count, 1, "\(canonical)")
    XCTAssertEqual(
      canonical[0], "url=https%3A%2F%2Fa.example%2Fx.jpg%3Fw%3D1%2C2&width=10")
  }

  func testSortsByNameThenValueAndKeepsPlusLiteral() {
    let items = CanonicalQuery.items("b=2&a=z&a=y&c=1+1&d=%7E-._")
    XCTAssertEqual(CanonicalQuery.canonical(items), "a=y&a=z&b=2&c=1%2B1&d=~-._")
  }

  func testUTF8AndBrokenEscapes() {
    let items = CanonicalQuery.items("url=caf%C3%A9&x=100%&y=%zz")
    XCTAssertEqual(items[0].value, "café")
    XCTAssertEqual(items[1].value, "100%")
    XCTAssertEqual(CanonicalQuery.canonical(items), "url=caf%C3%A9&x=100%25&y=%25zz")
  }
}

final class SigningKeysTests: XCTestCase {
  func testKnownVector() throws {
    // HMAC-SHA256("0123456789abcdef0123456789abcdef", "url=https%3A%2F%2Fa.example%2Fx.jpg"),
    // URL-safe base64 without padding (computed independently with openssl and base64).
    let keys = try SigningKeys.parse("0123456789abcdef0123456789abcdef\n", source: "test")
    let signature = try XCTUnwrap(
      keys.signature(forCanonicalQuery: "url=https%3A%2F%2Fa.example%2Fx.jpg"))
    XCTAssertEqual(signature.count, 43)
    XCTAssertFalse(signature.contains("="))
    XCTAssertFalse(signature.contains("+") || signature.contains("/"))
    XCTAssertEqual(signature, SignatureVector.expected)
  }

  func testKeyFileFormatAndBounds() throws {
    let keys = try SigningKeys.parse(
      "# rotation: new key first\n  new-key-0123456789  \n\nold-key-0123456789\n", source: "k")
    XCTAssertEqual(keys.count, 2)
    XCTAssertThrowsError(try SigningKeys.parse("short\n", source: "k")) { error in
      XCTAssertTrue("\(error)".contains("at least 16 bytes"), "\(error)")
    }
    XCTAssertThrowsError(try SigningKeys.load(path: "/nonexistent/halftone-keys"))
  }

  func testVerifyRejectsEveryWrongForm() throws {
    let keys = try SigningKeys.parse("key-one-0123456789\nkey-two-0123456789\n", source: "k")
    let canonical = "url=https%3A%2F%2Fa.example%2Fx.jpg"
    let good = try XCTUnwrap(keys.signature(forCanonicalQuery: canonical))
    XCTAssertTrue(keys.verify(signature: good, canonicalQuery: canonical))
    XCTAssertFalse(keys.verify(signature: String(good.dropLast()), canonicalQuery: canonical))
    XCTAssertFalse(keys.verify(signature: good + "A", canonicalQuery: canonical))
    XCTAssertFalse(keys.verify(signature: "", canonicalQuery: canonical))
    XCTAssertFalse(keys.verify(signature: good, canonicalQuery: canonical + "&width=1"))
    var flipped = Array(good)
    flipped[20] = flipped[20] == "A" ? "B" : "A"
    XCTAssertFalse(keys.verify(signature: String(flipped), canonicalQuery: canonical))
    // Signed with the second (older) key: still accepted while it is listed.
    let old = try SigningKeys.parse("key-two-0123456789\n", source: "k")
    let oldSignature = try XCTUnwrap(old.signature(forCanonicalQuery: canonical))
    XCTAssertTrue(keys.verify(signature: oldSignature, canonicalQuery: canonical))
  }
}

/// `printf %s "url=https%3A%2F%2Fa.example%2Fx.jpg" | openssl dgst -sha256 -hmac KEY -binary
/// | base64 | tr "+/" "-_" | tr -d "="` with the key above.
enum SignatureVector {
  static let expected = "5AyCs68pwXIoIlT4_O9Mkm2c7P9nXkqJ67jYav8kUQI"
}

final class SignedThumbnailTests: XCTestCase {
  let newKey = "new-key-aaaaaaaaaaaaaaaa"
  let oldKey = "old-key-bbbbbbbbbbbbbbbb"
  var keyFile: URL!
  var harness: ServerHarness?
  let url = "https://cdn.example.com/img/signed.jpg?width=300"

  override func setUp() async throws {
    keyFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-keys-\(UUID().uuidString)")
  }

  override func tearDown() async throws {
    try await harness?.stop()
    try? FileManager.default.removeItem(at: keyFile)
  }

  private func startServer(keyFileText: String, root: URL? = nil) async throws -> ServerHarness {
    try keyFileText.write(to: keyFile, atomically: true, encoding: .utf8)
    let keys = try SigningKeys.load(path: keyFile.path)
    return try await ServerHarness.start(configure: { $0.signingKeys = keys }, cacheRoot: root)
  }

  private func seed(_ harness: ServerHarness) throws -> Data {
    let spec = try ThumbnailSpec.parse(url: url)
    let original = try harness.seedOriginal(url: spec.masterURL, bytes: FakeImage.jpeg("o"))
    let bytes = FakeImage.jpeg("signed thumb")
    try harness.seedThumbnail(original: original, spec: spec, bytes: bytes, format: .jpeg)
    return bytes
  }

  func testSignaturesAreRequiredAndChecked() async throws {
    let harness = try await startServer(keyFileText: "\(newKey)\n\(oldKey)\n")
    self.harness = harness
    let bytes = try seed(harness)
    let newKeys = try SigningKeys.parse(newKey, source: "new")
    let oldKeys = try SigningKeys.parse(oldKey, source: "old")
    let strangerKeys = try SigningKeys.parse("stranger-cccccccccccccccc", source: "x")

    let signed = try thumbnailsPath(url, keys: newKeys)
    let good = try await harness.get(signed)
    XCTAssertEqual(good.status, 200, good.text)
    XCTAssertEqual(good.body, bytes)

    // The same parameters in another order and encoding carry the same signature.
    let signature = String(signed.split(separator: "=").last!)
    let reordered = "/thumbnails?sig=\(signature)&url=\(url)"
      .replacingOccurrences(of: "?width=300", with: "%3Fwidth%3d300")
    let reorderedReply = try await harness.get(reordered)
    XCTAssertEqual(reorderedReply.status, 200, "\(reordered): \(reorderedReply.text)")

    let missing = try await harness.get(try thumbnailsPath(url))
    XCTAssertEqual(missing.status, 403)
    XCTAssertEqual(missing.errorKind, "forbidden")

    let wrong = try await harness.get(try thumbnailsPath(url, keys: strangerKeys))
    XCTAssertEqual(wrong.status, 403)
    XCTAssertEqual(wrong.errorKind, "forbidden")

    let truncated = try await harness.get(String(signed.dropLast(4)))
    XCTAssertEqual(truncated.status, 403)
    XCTAssertEqual(truncated.errorKind, "forbidden")

    let tampered = try await harness.get(
      signed.replacingOccurrences(of: "width%3D300", with: "width%3D301"))
    XCTAssertEqual(tampered.status, 403)

    let extra = try await harness.get(signed + "&width=10")
    XCTAssertEqual(extra.status, 403, "a parameter added after signing")

    let doubled = try await harness.get(signed + "&sig=\(signature)")
    XCTAssertEqual(doubled.status, 403)

    // The old key still verifies while it is listed.
    let old = try await harness.get(try thumbnailsPath(url, keys: oldKeys))
    XCTAssertEqual(old.status, 200)

    // A signature is checked before anything else is read: a bad spec without one is 403.
    let unsignedBad = try await harness.get("/thumbnails?url=ftp%3A%2F%2Fx")
    XCTAssertEqual(unsignedBad.status, 403)

    // Blobs need no signature: their names are unguessable hashes of immutable content.
    let body = try await harness.get(
      "/blobs/\(try XCTUnwrap(good.header("ETag")).trimmingCharacters(in: ["\""]))")
    XCTAssertEqual(body.status, 200)

    // The signature never reaches the access log.
    let log = harness.accessLines().joined(separator: "\n")
    XCTAssertFalse(log.contains(signature), log)
    XCTAssertTrue(log.contains("sig=…"), log)
  }

  func testOldKeyRefusedOnceRemoved() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-server-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let oldKeys = try SigningKeys.parse(oldKey, source: "old")
    let newKeys = try SigningKeys.parse(newKey, source: "new")

    // Before rotation: only the old key.
    var harness = try await startServer(keyFileText: "\(oldKey)\n", root: root)
    _ = try seed(harness)
    let before = try await harness.get(try thumbnailsPath(url, keys: oldKeys))
    XCTAssertEqual(before.status, 200)
    try await harness.running.shutdown()

    // During rotation both; after it only the new key: the old signature is refused.
    harness = try await startServer(keyFileText: "\(newKey)\n", root: root)
    self.harness = harness
    let after = try await harness.get(try thumbnailsPath(url, keys: oldKeys))
    XCTAssertEqual(after.status, 403)
    XCTAssertEqual(after.errorKind, "forbidden")
    let fresh = try await harness.get(try thumbnailsPath(url, keys: newKeys))
    XCTAssertEqual(fresh.status, 200)
  }

  func testSignedPathIsCanonical() throws {
    let keys = try SigningKeys.parse(newKey, source: "new")
    let path = try ThumbnailLink.path(
      url: "https://cdn.example.com/a%20b.jpg?width=300&crop=4:3", width: 200, height: 100,
      format: .webp, keys: keys)
    XCTAssertTrue(
      path.hasPrefix(
        "/thumbnails?format=webp&height=100&url=https%3A%2F%2Fcdn.example.com%2Fa%2520b.jpg"
          + "%3Fwidth%3D300%26crop%3D4%3A3&width=200&sig="), path)
    XCTAssertThrowsError(try ThumbnailLink.path(url: "ftp://x/y.jpg", keys: keys))
    XCTAssertEqual(
      ThumbnailLink.absolute(base: "http://127.0.0.1:8080/", path: "/thumbnails?x=1"),
      "http://127.0.0.1:8080/thumbnails?x=1")
  }
}
