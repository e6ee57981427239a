import HalftoneSpec
import XCTest

/// What wins when a URL and its record disagree, and how site rules extend detection.
final class ConflictAndSiteRuleTests: XCTestCase {
  /// `c_fill` asks for a 1:1 box; the record declares 4:3. The declared box wins (never
  /// distorted), and Cloudinary's gravity still chooses where the region is cut.
  func testADeclaredBoxWinsOverCFillAndGravityStillCuts() throws {
    let base = "https://res.cloudinary.com/demo/image/upload/c_fill,w_600,h_600"
    let cases: [(String, Int)] = [("", 266), (",g_west", 0), (",g_east", 533), (",g_center", 266)]
    for (gravity, x) in cases {
      let url = "\(base)\(gravity)/sample.jpg"
      let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 400, declaredHeight: 300)
      let plan = try spec.plan(for: source(1600, 800))
      XCTAssertEqual([plan.width, plan.height], [400, 300], url)
      XCTAssertEqual(plan.region, rect(1067, 800, x, 0), url)
      // Without a declared size the URL's own box is made.
      let own = try ThumbnailSpec.parse(url: url).plan(for: source(1600, 800))
      XCTAssertEqual([own.width, own.height], [600, 600], url)
    }
  }

  /// A declared width alone keeps the URL's aspect out of it: the master's aspect is kept.
  func testADeclaredWidthAloneReplacesTheURLsBox() throws {
    let spec = try ThumbnailSpec.parse(
      url: "https://res.cloudinary.com/demo/image/upload/c_fill,w_600,h_600/sample.jpg",
      declaredWidth: 400)
    let plan = try spec.plan(for: source(1600, 800))
    XCTAssertEqual([plan.width, plan.height], [400, 200])
  }

  /// Next.js' `url` may be absolute on any host: that host is the master's, and the fetcher's
  /// guard judges it.
  func testANextJSURLOnAnotherHostIsThatHostsMaster() throws {
    let spec = try ThumbnailSpec.parse(
      url: "https://news.example/_next/image?url=https%3A%2F%2Fcdn.other.example%2Fa.jpg&w=640&q=75"
    )
    XCTAssertEqual(spec.dialect, .nextjs)
    XCTAssertEqual(spec.masterURL, "https://cdn.other.example/a.jpg")
  }

  func testADialectRuleReadsACustomDomainAndWildcardsMatchSubdomainsOnly() throws {
    let rules = URLRules(rules: [
      try URLRules.Rule(host: "*.cdn.news.example", dialect: .imgix, line: 3),
      try URLRules.Rule(host: "img.news.example", dialect: .cloudinary, line: 4),
    ])
    let imgix = try ThumbnailSpec.parse(
      url: "https://eu.cdn.news.example/a.jpg?w=320&h=240&fit=crop", rules: rules)
    XCTAssertEqual(imgix.dialect, .imgix)
    XCTAssertEqual(imgix.masterURL, "https://eu.cdn.news.example/a.jpg")
    let cloudinary = try ThumbnailSpec.parse(
      url: "https://img.news.example/image/upload/w_320/v1/a.jpg", rules: rules)
    XCTAssertEqual(cloudinary.dialect, .cloudinary)
    XCTAssertEqual(cloudinary.masterURL, "https://img.news.example/image/upload/v1/a.jpg")
    // Not under the wildcard, not the exact host: built-in detection (none here).
    for url in ["https://cdn.news.example/a.jpg?w=320", "https://news.example/a.jpg?w=320"] {
      XCTAssertEqual(try ThumbnailSpec.parse(url: url, rules: rules).dialect, .none, url)
    }
  }

  func testARewriteRuleNamesMastersInOrderAndOtherURLsFallThrough() throws {
    let rules = URLRules(rules: [
      try URLRules.Rule(
        host: "media.news.example", pattern: #"^(https://[^/]+/photos/\d+)/(\w+)_(\d+)w\.jpg$"#,
        masters: ["$1/$2_original.jpg", "$1/$2_2048w.jpg"], line: 1)
    ])
    let url = "https://media.news.example/photos/2024/harbour_640w.jpg"
    let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 320, rules: rules)
    XCTAssertEqual(spec.dialect, .rendition)
    XCTAssertEqual(spec.masterURL, "https://media.news.example/photos/2024/harbour_original.jpg")
    XCTAssertEqual(
      spec.fallbackMasterURLs, ["https://media.news.example/photos/2024/harbour_2048w.jpg"])
    // The pattern does not match: the built-in detection reads it (WordPress here).
    let other = try ThumbnailSpec.parse(
      url: "https://media.news.example/wp-content/uploads/2024/05/a-1024x683.jpg", rules: rules)
    XCTAssertEqual(other.masterURL, "https://media.news.example/wp-content/uploads/2024/05/a.jpg")
  }

  func testBadRulesSayWhatIsWrongAndOnWhichLine() {
    func message(_ body: () throws(URLRulesError) -> URLRules.Rule) -> URLRulesError? {
      do {
        _ = try body()
        return nil
      } catch {
        return error
      }
    }
    var cases: [(URLRulesError?, String)] = [
      (
        message { () throws(URLRulesError) in try .init(host: "a b", dialect: .imgix, line: 7) },
        "host"
      ),
      (
        message { () throws(URLRulesError) in
          try .init(host: "x.example", dialect: .rendition, line: 7)
        }, "rendition"
      ),
      (
        message { () throws(URLRulesError) in
          try .init(host: "x.example", pattern: "(unclosed", masters: ["$1"], line: 7)
        }, "not a regular expression"
      ),
      (
        message { () throws(URLRulesError) in
          try .init(host: "x.example", pattern: "^(a)$", masters: ["$2"], line: 7)
        }, "$2"
      ),
      (
        message { () throws(URLRulesError) in
          try .init(
            host: "x.example", pattern: "^a$", masters: Array(repeating: "x", count: 6), line: 7)
        }, "1–5 masters"
      ),
    ]
    let long = String(repeating: "a", count: 1025)
    cases.append(
      (
        message { () throws(URLRulesError) in
          try .init(host: "x.example", pattern: long, masters: ["x"], line: 7)
        }, "longer than 1024 bytes"
      ))
    for (error, expected) in cases {
      XCTAssertEqual(error?.line, 7, "\(String(describing: error))")
      XCTAssertTrue(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
  }
}
