import HalftoneSpec
import XCTest

/// URLs built to hurt a parser: each is refused with a typed error that says what is wrong, and
/// none crashes or runs long.
final class HostileDialectInputTests: XCTestCase {
  func testAFetchOfAFetchIsRefused() {
    let inner = "https://res.cloudinary.com/demo/image/fetch/w_100/https://example.com/a.jpg"
    for url in [
      "https://res.cloudinary.com/demo/image/fetch/w_640/\(inner)",
      "https://substackcdn.com/image/fetch/w_640/"
        + "https%3A%2F%2Fsubstackcdn.com%2Fimage%2Ffetch%2Fw_1%2Fhttps%3A%2F%2Fexample.com%2Fa.jpg",
    ] {
      let error = assertSpecError(.invalidURL) { try ThumbnailSpec.parse(url: url) }
      XCTAssertTrue(error?.message.contains("one level") == true, "\(String(describing: error))")
    }
    // One level is read: the remote URL is the master.
    XCTAssertEqual(try ThumbnailSpec.parse(url: inner).masterURL, "https://example.com/a.jpg")
  }

  func testEmbeddedURLsWithOtherSchemesAreRefused() {
    for url in [
      "https://example.com/_next/image?url=file:///etc/passwd&w=640",
      "https://example.com/_next/image?url=file%3A%2F%2F%2Fetc%2Fpasswd&w=640",
      "https://example.brightspotcdn.com/dims4/default/a/2147483647/resize/100x/"
        + "?url=gopher%3A%2F%2F10.0.0.1%2Fx",
      "https://res.cloudinary.com/demo/image/fetch/w_100/ftp://example.com/a.jpg",
      "https://s.yimg.com/ny/api/res/1.2/abc--/YXBwaWQ9eXRhY2h5b247dz02NDA-/file:///etc/passwd",
      "https://example.com/cdn-cgi/image/width=100/file:///etc/passwd",
    ] {
      let error = assertSpecError(.invalidURL) { try ThumbnailSpec.parse(url: url) }
      XCTAssertNotNil(error, url)
    }
  }

  /// A private address is a valid URL: the spec keeps it as the master and the fetcher's guard
  /// refuses it (`DialectPrefetchTests`), like any URL in a record.
  func testAPrivateAddressIsLeftToTheFetchersGuard() throws {
    let spec = try ThumbnailSpec.parse(
      url: "https://example.com/_next/image?url=http%3A%2F%2F169.254.169.254%2Flatest&w=64")
    XCTAssertEqual(spec.masterURL, "http://169.254.169.254/latest")
  }

  func testBase64ThatDoesNotDecodeIsInvalidSpec() {
    for params in ["!!!not-base64!!!", "gICA", "Zm9v", "YXBwaWQ9eXRhY2h5b247dz0-"] {
      let url =
        "https://s.yimg.com/ny/api/res/1.2/abcdef--/\(params)/https://example.com/a.jpg"
      assertSpecError(.invalidSpec) { try ThumbnailSpec.parse(url: url) }
    }
  }

  func testTenThousandChainedTransformationsAreRefusedByLength() {
    let chain = Array(repeating: "c_scale,w_100", count: 10_000).joined(separator: "/")
    let url = "https://res.cloudinary.com/demo/image/upload/\(chain)/a.jpg"
    let error = assertSpecError(.invalidURL) { try ThumbnailSpec.parse(url: url) }
    XCTAssertTrue(error?.message.contains("8192") == true, "\(String(describing: error))")
  }

  func testMoreComponentsOrStepsThanTheLimitAreInvalidSpec() {
    let cloudinary =
      "https://res.cloudinary.com/demo/image/upload/"
      + Array(repeating: "c_scale,w_100", count: 40).joined(separator: "/") + "/a.jpg"
    let imagekit =
      "https://ik.imagekit.io/demo/tr:"
      + Array(repeating: "w-100", count: 40).joined(separator: ":") + "/a.jpg"
    let akamai =
      "https://example.com/a.jpg?im="
      + Array(repeating: "Resize,width=100", count: 40).joined(separator: ";")
    let brightspot =
      "https://example.brightspotcdn.com/dims4/default/a/2147483647/"
      + Array(repeating: "resize/100x", count: 40).joined(separator: "/")
      + "/?url=https%3A%2F%2Fexample.com%2Fa.jpg"
    for url in [cloudinary, imagekit, akamai, brightspot] {
      let error = assertSpecError(.invalidSpec) { try ThumbnailSpec.parse(url: url) }
      XCTAssertTrue(error?.message.contains("more than") == true, "\(String(describing: error))")
    }
    // A proxy of a proxy of … is a URL Halftone will not unwrap.
    var yahoo = "https://example.com/a.jpg"
    for _ in 0..<5 { yahoo = "https://s.yimg.com/ny/api/res/1.2/abc--/dz02NDA-/\(yahoo)" }
    let error = assertSpecError(.invalidURL) { try ThumbnailSpec.parse(url: yahoo) }
    XCTAssertTrue(error?.message.contains("more than 3") == true, "\(String(describing: error))")
  }

  func testAThirdCropIsRefused() throws {
    let two =
      "https://res.cloudinary.com/demo/image/upload/c_crop,w_800,h_600/c_crop,w_400,h_300/a.jpg"
    XCTAssertEqual(
      try ThumbnailSpec.parse(url: two).plan(for: source(1600, 1200)).region,
      rect(400, 300, 600, 450), "the second crop cuts from the first")
    let three =
      "https://res.cloudinary.com/demo/image/upload/c_crop,w_800,h_600/c_crop,w_400,h_300/"
      + "c_crop,w_200,h_100/a.jpg"
    let error = assertSpecError(.invalidSpec) { try ThumbnailSpec.parse(url: three) }
    XCTAssertTrue(
      error?.message.contains("at most two crops") == true, "\(String(describing: error))")
  }

  func testNumbersOutOfRangeNameTheParameter() {
    let cases: [(String, String)] = [
      ("https://res.cloudinary.com/demo/image/upload/w_99999/a.jpg", "w"),
      ("https://res.cloudinary.com/demo/image/upload/q_0/a.jpg", "q"),
      ("https://res.cloudinary.com/demo/image/upload/dpr_50/a.jpg", "dpr"),
      ("https://res.cloudinary.com/demo/image/upload/c_crop,w_-5,h_10/a.jpg", "w"),
      ("https://example.com/cdn-cgi/image/width=0/a.jpg", "width"),
      ("https://example.com/cdn-cgi/image/quality=101/a.jpg", "quality"),
      ("https://example.com/_next/image?url=%2Fa.jpg&w=100000", "w"),
      ("https://example.com/_next/image?url=%2Fa.jpg&w=640&q=0", "q"),
      ("https://cdn.sanity.io/images/p/d/a-100x100.jpg?w=9999999999999999999999", "w"),
      ("https://images.ctfassets.net/s/a/b/c.jpg?w=4001", "w"),
      ("https://ik.imagekit.io/demo/tr:w-0/a.jpg", "w"),
      ("https://example.com/a.jpg?imwidth=0", "imwidth"),
      (
        "https://example.brightspotcdn.com/dims4/default/a/2147483647/quality/900/?url=https%3A%2F%2Fexample.com%2Fa.jpg",
        "quality"
      ),
    ]
    for (url, parameter) in cases {
      let error = assertSpecError(.invalidSpec) { try ThumbnailSpec.parse(url: url) }
      XCTAssertTrue(
        error?.message.contains(parameter) == true, "\(url): \(String(describing: error))")
    }
  }
}
