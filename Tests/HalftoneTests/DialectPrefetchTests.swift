import Foundation
import Halftone
import HalftoneFetch
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// The dialects end to end: a prefetch over a loopback origin follows each reference's master
/// chain, reports its dialect and master, and the SSRF guard judges every master like any URL.
final class DialectPrefetchTests: XCTestCase {
  /// A rendition rule with two masters (The New York Times' shape: `-superJumbo`, then `-jumbo`)
  /// is followed in order: the first master that exists wins, and the URL as written is the last
  /// resort.
  func testAMasterChainIsFollowedInOrderAndTheURLAsWrittenIsTheLastResort() async throws {
    let bench = try PrefetchBench()
    let o = bench.origin
    let big = Fixtures.photoJPEG(width: 2048, height: 1366)
    let medium = Fixtures.photoJPEG(width: 1024, height: 683)
    let small = Fixtures.photoJPEG(width: 600, height: 400)
    o.route("/images/a-superJumbo.jpg", .always(.ok(big, contentType: "image/jpeg")))
    o.route("/images/a-jumbo.jpg", .always(.ok(medium, contentType: "image/jpeg")))
    o.route("/images/a-articleLarge.jpg", .always(.ok(small, contentType: "image/jpeg")))
    o.route("/images/b-jumbo.jpg", .always(.ok(medium, contentType: "image/jpeg")))
    o.route("/images/b-articleLarge.jpg", .always(.ok(small, contentType: "image/jpeg")))
    o.route("/images/c-articleLarge.jpg", .always(.ok(small, contentType: "image/jpeg")))
    let urls = ["a", "b", "c"].map { o.url("/images/\($0)-articleLarge.jpg") }
    try bench.write(
      "a.jsonl",
      urls.map { bench.jsonLine(url: $0, width: 300, height: 200) }.joined(separator: "\n") + "\n")
    let rules = URLRules(rules: [
      try URLRules.Rule(
        host: "127.0.0.1", pattern: #"^(.*/images/.+)-articleLarge\.jpg$"#,
        masters: ["$1-superJumbo.jpg", "$1-jumbo.jpg"], line: 1)
    ])
    let run = try await bench.run { options, _ in options.pipeline.urlRules = rules }

    let a = try XCTUnwrap(run.outcomes.one(url: urls[0]))
    XCTAssertEqual(a.status, .ok, "\(a)")
    XCTAssertEqual(a.dialect, .rendition)
    XCTAssertEqual(a.masterURL, o.url("/images/a-superJumbo.jpg"))
    XCTAssertEqual(a.original?.url, o.url("/images/a-superJumbo.jpg"))
    XCTAssertEqual(a.original?.digest, Digest.of(big))
    XCTAssertEqual(o.requestCount("/images/a-jumbo.jpg"), 0)
    XCTAssertEqual(o.requestCount("/images/a-articleLarge.jpg"), 0)

    let b = try XCTUnwrap(run.outcomes.one(url: urls[1]))
    XCTAssertEqual(b.status, .ok, "\(b)")
    XCTAssertEqual(b.original?.url, o.url("/images/b-jumbo.jpg"), "superJumbo answered 404")
    XCTAssertEqual(o.requestCount("/images/b-superJumbo.jpg"), 1)
    XCTAssertEqual(o.requestCount("/images/b-articleLarge.jpg"), 0)

    let c = try XCTUnwrap(run.outcomes.one(url: urls[2]))
    XCTAssertEqual(c.status, .ok, "\(c)")
    XCTAssertEqual(c.original?.url, urls[2], "both masters answered 404")
    XCTAssertEqual(o.requestCount("/images/c-superJumbo.jpg"), 1)
    XCTAssertEqual(o.requestCount("/images/c-jumbo.jpg"), 1)
    for outcome in [a, b, c] {
      XCTAssertEqual(outcome.thumbnail?.width, 300)
      XCTAssertEqual(outcome.thumbnail?.height, 200)
    }
  }

  /// A site rule maps a custom domain (a Cloudinary CNAME) to a built-in dialect: its chained
  /// transformation is read, the master is the upload without transformations, and the record's
  /// declared size wins over `c_fill`'s box of another aspect; the warning for an effect Halftone
  /// cannot apply is on the report line.
  func testASiteRuleReadsACustomDomainInABuiltInDialect() async throws {
    let bench = try PrefetchBench()
    let o = bench.origin
    o.route(
      "/image/upload/v1712/news/harbour.jpg",
      .always(.ok(Fixtures.photoJPEG(width: 1600, height: 1200), contentType: "image/jpeg")))
    let path =
      "/image/upload/c_crop,w_1200,h_900,x_100,y_50/c_fill,g_north,w_600,h_600/e_sepia/"
      + "v1712/news/harbour.jpg"
    let url = o.url(path)
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 400, height: 300) + "\n")
    let rules = URLRules(rules: [
      try URLRules.Rule(host: "127.0.0.1", dialect: .cloudinary, line: 1)
    ])
    let run = try await bench.run { options, _ in options.pipeline.urlRules = rules }

    let outcome = try XCTUnwrap(run.outcomes.one(url: url))
    XCTAssertEqual(outcome.status, .ok, "\(outcome)")
    XCTAssertEqual(outcome.dialect, .cloudinary)
    XCTAssertEqual(outcome.masterURL, o.url("/image/upload/v1712/news/harbour.jpg"))
    XCTAssertEqual(outcome.original?.url, outcome.masterURL)
    XCTAssertEqual(outcome.thumbnail?.width, 400, "the declared size wins over c_fill's 600x600")
    XCTAssertEqual(outcome.thumbnail?.height, 300)
    XCTAssertEqual(o.requestCount(path), 0, "the master existed")
    XCTAssertTrue(
      outcome.warnings?.contains { $0.contains("e_sepia") } == true, "\(outcome.warnings ?? [])")

    // Without the rule the same URL is nobody's dialect: fetched as written.
    let plain = try ThumbnailSpec.parse(url: url)
    XCTAssertEqual(plain.dialect, .none)
  }

  /// A Next.js URL whose `url` is absolute on another host is fetched from that host, under the
  /// same guard as any URL: a private address is refused, and nothing is sent to it or to the
  /// site.
  func testANextJSMasterOnAPrivateAddressIsBlocked() async throws {
    let bench = try PrefetchBench()
    let o = bench.origin
    o.route(
      "/img/ok.jpg",
      .always(.ok(Fixtures.photoJPEG(width: 1200, height: 800), contentType: "image/jpeg")))
    let inner = "http://127.0.0.2:\(o.port)/img/ok.jpg"
    let hostile = o.url(
      "/_next/image?url=\(inner.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        + "&w=640&q=75")
    let allowed = o.url("/_next/image?url=%2Fimg%2Fok.jpg&w=640&q=75")
    try bench.write(
      "a.jsonl", [hostile, allowed].map { bench.jsonLine(url: $0) }.joined(separator: "\n") + "\n")
    let loopback = try XCTUnwrap(IPAddress("127.0.0.1"))
    let run = try await bench.run { _, policy in
      policy.allowPrivateAddresses = false
      policy.allowedAddresses = [loopback]
    }

    let blocked = try XCTUnwrap(run.outcomes.one(url: hostile))
    XCTAssertEqual(blocked.status, .failed)
    XCTAssertEqual(blocked.errorKind, .blockedAddress, "\(blocked)")
    XCTAssertEqual(blocked.masterURL, inner)
    XCTAssertEqual(o.requestCount("/_next/image"), 0, "a refused master is not a 4xx")

    let relative = try XCTUnwrap(run.outcomes.one(url: allowed))
    XCTAssertEqual(relative.status, .ok, "\(relative)")
    XCTAssertEqual(relative.dialect, .nextjs)
    XCTAssertEqual(relative.original?.url, o.url("/img/ok.jpg"))
    XCTAssertEqual(relative.thumbnail?.width, 640)
    XCTAssertEqual(o.requestCount("/img/ok.jpg"), 1)
  }
}
