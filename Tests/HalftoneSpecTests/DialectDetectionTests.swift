import HalftoneSpec
import XCTest

/// Dialects chosen from hosts and URL shapes, and the master URL each gives.
final class DialectDetectionTests: XCTestCase {
  func testDialectAndMasterPerHost() throws {
    let cases: [(url: String, dialect: Dialect, master: String)] = [
      (
        "https://www.gannett-cdn.com/presto/2019/06/01/USAT/photo.jpg?crop=3104,2328,x175,y0&width=640",
        .fastly, "https://www.gannett-cdn.com/presto/2019/06/01/USAT/photo.jpg"
      ),
      (
        "https://i.guim.co.uk/img/media/abc/0_0_5000_3000/master/5000.jpg?width=620&quality=85&auto=format&fit=max&s=0a1b",
        .guardian, "https://media.guim.co.uk/abc/0_0_5000_3000/master/5000.jpg"
      ),
      (
        "https://assets.imgix.net/a/b.jpg?w=640&fit=crop", .imgix,
        "https://assets.imgix.net/a/b.jpg"
      ),
      (
        "https://i2.wp.com/blog.example.com/wp-content/a.jpg?w=640", .photon,
        "https://blog.example.com/wp-content/a.jpg"
      ),
      ("https://i0.wp.com/example.com/a.jpg", .photon, "https://example.com/a.jpg"),
      (
        "https://thumbs.example.org/unsafe/300x200/smart/example.com/a.jpg", .thumbor,
        "https://example.com/a.jpg"
      ),
      // Unknown host, Fastly parameter names: Fastly.
      (
        "https://images.example.com/a.jpg?width=640&format=pjpg", .fastly,
        "https://images.example.com/a.jpg"
      ),
      // Unknown host with imgix's library stamp: imgix behind a custom domain.
      ("https://img.example.com/a.jpg?w=640&ixlib=rb-4.0", .imgix, "https://img.example.com/a.jpg"),
      // Unknown host, nothing recognised: none, the URL as written is the master.
      (
        "https://static.example.com/a.jpg?id=5&v=2", .none,
        "https://static.example.com/a.jpg?id=5&v=2"
      ),
      ("https://static.example.com/a.jpg", .none, "https://static.example.com/a.jpg"),
      (
        "HTTPS://Static.Example.COM/a.jpg?v=1#top", .none,
        "HTTPS://Static.Example.COM/a.jpg?v=1#top"
      ),
      ("http://[::1]:8080/a.jpg?width=10", .fastly, "http://[::1]:8080/a.jpg"),
    ]
    for testCase in cases {
      let spec = try ThumbnailSpec.parse(url: testCase.url)
      XCTAssertEqual(spec.dialect, testCase.dialect, testCase.url)
      XCTAssertEqual(spec.masterURL, testCase.master, testCase.url)
      XCTAssertEqual(spec.imageURL, testCase.url)
    }
  }

  func testGuardianURLsReadWithoutWarnings() throws {
    let spec = try ThumbnailSpec.parse(
      url: "https://i.guim.co.uk/img/media/abc/0_0_5000_3000/master/5000.jpg"
        + "?width=620&quality=85&auto=format&fit=max&s=0a1b")
    XCTAssertEqual(spec.warnings, [])
    XCTAssertEqual(spec.autoFormats, [.avif, .webp])
    let plan = try spec.plan(for: source(5000, 3000))
    XCTAssertEqual(plan.shape, Shape(region: rect(5000, 3000, 0, 0), width: 620, height: 372))
  }

  func testNoneDialectUsesOnlyTheDeclaredSize() throws {
    let spec = try ThumbnailSpec.parse(
      url: "https://static.example.com/a.jpg?w=300", declaredWidth: 640, declaredHeight: 480)
    XCTAssertEqual(spec.dialect, .none)
    XCTAssertEqual(spec.warnings.count, 1, "the unread query is reported")
    XCTAssertEqual(
      try spec.plan(for: source(4000, 3000)).shape,
      Shape(region: rect(4000, 3000, 0, 0), width: 640, height: 480))
    let undeclared = try ThumbnailSpec.parse(url: "https://static.example.com/a.jpg")
    XCTAssertEqual(undeclared.warnings, [])
    XCTAssertEqual(try undeclared.plan(for: source(4000, 3000)).width, 4000)
  }

  func testLookalikeHostsAreNotCDNs() throws {
    XCTAssertEqual(
      try ThumbnailSpec.parse(url: "https://imgix.net.example.com/a.jpg").dialect, .none)
    XCTAssertEqual(try ThumbnailSpec.parse(url: "https://iX.wp.com/a.com/b.jpg").dialect, .none)
    XCTAssertEqual(try ThumbnailSpec.parse(url: "https://example.com/unsafe").dialect, .none)
  }

  func testBareQueriesDefaultToFastly() throws {
    XCTAssertEqual(try ThumbnailSpec.parse(query: "width=640").dialect, .fastly)
    XCTAssertEqual(try ThumbnailSpec.parse(query: "w=640", dialect: .imgix).dialect, .imgix)
  }
}
