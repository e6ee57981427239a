import HalftoneSpec
import XCTest

/// Bad URLs and bad values: typed errors that name the parameter and the value.
final class ValidationTests: XCTestCase {
  func testBadFastlyValuesNameTheParameterAndValue() {
    let cases: [(query: String, parameter: String, value: String)] = [
      ("width=0", "width", "0"), ("width=-5", "width", "-5"), ("width=99999", "width", "99999"),
      ("width=abc", "width", "abc"), ("width=640.5", "width", "640.5"),
      ("height=0", "height", "0"), ("height=9000", "height", "9000"),
      ("quality=0", "quality", "0"), ("quality=101", "quality", "101"),
      ("quality=high", "quality", "high"), ("quality=50,0", "quality", "50,0"),
      ("dpr=0", "dpr", "0"), ("dpr=11", "dpr", "11"), ("dpr=0.5", "dpr", "0.5"),
      ("crop=garbage", "crop", "garbage"), ("crop=100", "crop", "100"),
      ("crop=100,200,z5", "crop", "100,200,z5"), ("crop=0,100", "crop", "0,100"),
      ("crop=16:0", "crop", "16:0"), ("crop=100,200,x-5", "crop", "100,200,x-5"),
      ("crop=100,200,x5,x6", "crop", "100,200,x5,x6"), ("crop=", "crop", ""),
      ("crop=100,200,offset-x150", "crop", "100,200,offset-x150"),
      ("precrop=1:2:3", "precrop", "1:2:3"),
      ("fit=stretch", "fit", "stretch"), ("format=tiff", "format", "tiff"),
      ("orient=up", "orient", "up"),
    ]
    for testCase in cases {
      let error = assertSpecError(.invalidSpec, parameter: testCase.parameter) {
        try ThumbnailSpec.parse(query: testCase.query)
      }
      XCTAssertTrue(
        error?.message.contains("\(testCase.parameter)='\(testCase.value)'") == true,
        "\(testCase.query): \(String(describing: error?.message))")
    }
  }

  func testWidthBoundAppliesAfterDpr() {
    let error = assertSpecError(.invalidSpec, parameter: "width") {
      try ThumbnailSpec.parse(query: "width=5000&dpr=2")
    }
    XCTAssertTrue(error?.message.contains("10000") == true, "\(String(describing: error))")
  }

  func testSharesAreBoundedWhenTheSourceIsKnown() throws {
    let spec = try ThumbnailSpec.parse(query: "width=500p&enable=upscale")
    assertSpecError(.invalidSpec, parameter: "width") { try spec.plan(for: source(4000, 3000)) }
    XCTAssertEqual(try spec.plan(for: source(1000, 1000)).width, 5000)
  }

  func testBadImgixAndPhotonValues() {
    let cases: [(url: String, parameter: String)] = [
      ("https://a.imgix.net/p.jpg?w=0", "w"), ("https://a.imgix.net/p.jpg?h=99999", "h"),
      ("https://a.imgix.net/p.jpg?q=101", "q"), ("https://a.imgix.net/p.jpg?q=0", "q"),
      ("https://a.imgix.net/p.jpg?dpr=0", "dpr"), ("https://a.imgix.net/p.jpg?rect=1,2,3", "rect"),
      ("https://a.imgix.net/p.jpg?fit=stretch", "fit"),
      ("https://a.imgix.net/p.jpg?w=10&h=10&fit=crop&crop=middle", "crop"),
      ("https://a.imgix.net/p.jpg?fit=crop&crop=focalpoint&fp-x=2", "fp-x"),
      ("https://i0.wp.com/e.com/p.jpg?w=abc", "w"), ("https://i0.wp.com/e.com/p.jpg?w=-5", "w"),
      ("https://i0.wp.com/e.com/p.jpg?resize=0,100", "resize"),
      ("https://i0.wp.com/e.com/p.jpg?fit=100", "fit"),
      ("https://i0.wp.com/e.com/p.jpg?crop=1,2,3", "crop"),
      ("https://i0.wp.com/e.com/p.jpg?quality=0", "quality"),
      ("https://i0.wp.com/e.com/p.jpg?zoom=0", "zoom"),
    ]
    for testCase in cases {
      assertSpecError(.invalidSpec, parameter: testCase.parameter) {
        try ThumbnailSpec.parse(url: testCase.url)
      }
    }
  }

  func testDeclaredSizesAreBounded() {
    assertSpecError(.invalidSpec, parameter: "declared width") {
      try ThumbnailSpec.parse(url: fastlyURL("width=640"), declaredWidth: 0, declaredHeight: 480)
    }
    assertSpecError(.invalidSpec, parameter: "declared height") {
      try ThumbnailSpec.parse(url: fastlyURL("width=640"), declaredWidth: 640, declaredHeight: 9000)
    }
  }

  func testUnsupportedSchemesNameTheScheme() {
    for (url, scheme) in [
      ("file:///etc/passwd", "file"), ("ftp://example.com/a.jpg", "ftp"),
      ("FTP://example.com/a.jpg", "ftp"), ("data:image/png;base64,AAAA", "data"),
      ("javascript:alert(1)", "javascript"),
    ] {
      let error = assertSpecError(.unsupportedScheme) { try ThumbnailSpec.parse(url: url) }
      XCTAssertTrue(error?.message.contains("'\(scheme)'") == true, "\(String(describing: error))")
      XCTAssertNil(error?.parameter)
    }
  }

  func testInvalidURLs() {
    for url in [
      "", "   ", "not a url", "example.com/a.jpg", "//cdn.example.com/a.jpg", "http://",
      "http:///a.jpg", "http:example.com/a.jpg", "http://exa mple.com/a.jpg",
      "http://example.com:99999/a.jpg", "http://example.com:port/a.jpg", "http://ex%41mple.com/",
      "https://[::1/a.jpg", "1http://example.com/", "http://example..com/a.jpg",
      "https://example.com/" + String(repeating: "a", count: 9000),
    ] {
      assertSpecError(.invalidURL) { try ThumbnailSpec.parse(url: url) }
    }
  }

  func testUnknownParameterIsAWarningNotAnError() throws {
    let spec = try ThumbnailSpec.parse(url: fastlyURL("width=640&colour=red"))
    XCTAssertEqual(spec.warnings.count, 1)
    XCTAssertTrue(spec.warnings[0].contains("colour"), spec.warnings[0])
  }

  func testTooManyParametersAreRefused() {
    let query = (0..<100).map { "p\($0)=1" }.joined(separator: "&")
    assertSpecError(.invalidSpec) { try ThumbnailSpec.parse(query: query) }
  }

  func testErrorsDescribeTheirKind() {
    let error = assertSpecError(.invalidSpec) { try ThumbnailSpec.parse(query: "quality=0") }
    XCTAssertEqual(error?.description.hasPrefix("invalid_spec: "), true)
  }
}
