import HalftoneSpec
import XCTest

/// Canonical keys: equal for equivalent inputs, different for anything that changes the output.
final class CanonicalKeyTests: XCTestCase {
  /// A URL or bare Fastly query with an optional declared size.
  struct Input: CustomStringConvertible {
    var text: String
    var declared: (Int, Int)?
    var accepting: Set<OutputFormat>?

    init(_ text: String, declared: (Int, Int)? = nil, accepting: Set<OutputFormat>? = nil) {
      self.text = text
      self.declared = declared
      self.accepting = accepting
    }

    var description: String {
      text + (declared.map { " declared \($0.0)x\($0.1)" } ?? "")
        + (accepting.map { " accepting \($0.map(\.rawValue).sorted())" } ?? "")
    }

    func key() throws -> String {
      let spec =
        text.hasPrefix("http")
        ? try ThumbnailSpec.parse(
          url: text, declaredWidth: declared?.0, declaredHeight: declared?.1)
        : try ThumbnailSpec.parse(
          query: text, declaredWidth: declared?.0, declaredHeight: declared?.1)
      return (accepting.map { spec.negotiated(accepting: $0) } ?? spec).canonicalKey
    }
  }

  static let sameKeys: [(Input, Input)] = [
    // Parameter order.
    (
      Input("crop=3104,2328,x175,y0&quality=50&width=640"),
      Input("width=640&quality=50&crop=3104,2328,x175,y0")
    ),
    (Input("crop=100,50,y3,x7"), Input("crop=100,50,x7,y3")),
    // %2C vs ,
    (Input("crop=3104%2C2328%2Cx175%2Cy0&width=640"), Input("crop=3104,2328,x175,y0&width=640")),
    (Input("crop=16%3A9"), Input("crop=16:9")),
    // Explicit defaults.
    (Input("width=640"), Input("width=640&quality=85")),
    (Input("width=640"), Input("width=640&dpr=1")),
    (Input("width=640"), Input("width=640&disable=upscale")),
    (Input("width=640&height=480"), Input("width=640&height=480&fit=crop")),
    (Input("crop=1000,500"), Input("crop=1000,500,offset-x50,offset-y50")),
    (Input("crop=1000,500,x0,y0"), Input("crop=1000,500,offset-x0,offset-y0")),
    (Input("crop=1000,500,x0,y0"), Input("crop=1000,500,x0p,y0.0")),
    (Input("crop=0.5,0.5"), Input("crop=50p,50p")),
    (Input("crop=16:9"), Input("crop=32:18")),
    (Input("crop=16:9"), Input("crop=1.6:0.9")),
    (Input("crop=100p,100p"), Input("")),
    (Input("precrop=1000,500"), Input("crop=1000,500")),
    (Input("format=jpg"), Input("format=jpeg")),
    (Input("format=png&quality=40"), Input("format=png")),
    (Input("width=320&dpr=2"), Input("width=640")),
    // Enlarging cannot change a pixel crop asked for at a smaller size.
    (
      Input("crop=3104,2328,x175,y0&width=640&enable=upscale"),
      Input("crop=3104,2328,x175,y0&width=640")
    ),
    // A declared size and the same exact box from the URL.
    (Input("width=640", declared: (640, 480)), Input("width=640&height=480&fit=crop")),
    (Input("width=999&height=5", declared: (640, 480)), Input("width=640", declared: (640, 480))),
    // Negotiated auto format vs the explicit format.
    (Input("format=pjpg&auto=webp", accepting: [.webp, .jpeg]), Input("format=webp")),
    (Input("format=pjpg&auto=webp", accepting: [.jpeg]), Input("format=pjpg")),
    // The same crop in other dialects.
    (
      Input("https://a.imgix.net/p.jpg?rect=175,0,3104,2328&w=640&q=50"),
      Input(fastlyURL("crop=3104,2328,x175,y0&width=640&quality=50"))
    ),
    (
      Input("https://i0.wp.com/example.com/p.jpg?crop=175px,0px,3104px,2328px&w=640&quality=50"),
      Input(fastlyURL("crop=3104,2328,x175,y0&width=640&quality=50"))
    ),
    (
      Input("https://t.example.org/unsafe/175x0:3279x2328/640x0/filters:quality(50)/e.com/p.jpg"),
      Input(fastlyURL("crop=3104,2328,x175,y0&width=640&quality=50"))
    ),
    (
      Input("https://i0.wp.com/example.com/p.jpg?crop=10,0,50,100"),
      Input("crop=50p,100p,x10p,y0&quality=90")
    ),
    (
      Input("https://a.imgix.net/p.jpg?w=640&q=75"),
      Input("https://a.imgix.net/p.jpg?w=640&fit=clip")
    ),
    // The master URL is not part of the key.
    (Input(fastlyURL("width=640")), Input("https://images.example.com/other.jpg?width=640")),
  ]

  static let differentKeys: [(Input, Input)] = [
    (Input("crop=3104,2328,x175,y0"), Input("crop=3104,2328,x176,y0")),
    (Input("crop=3104,2328"), Input("crop=3104,2329")),
    (Input("crop=16:9"), Input("crop=16:9,smart")),
    (Input("crop=16:9"), Input("crop=4:3")),
    (Input("crop=1000,500,x10,y0"), Input("crop=1000,500,x10,y0,safe")),
    (Input("crop=1000,500,offset-x100"), Input("crop=1000,500,x100p")),
    (Input("precrop=2000,2000,x0,y0&crop=1000,500"), Input("crop=1000,500")),
    (Input("width=640"), Input("width=641")),
    (Input("width=640"), Input("height=640")),
    (Input("width=640&height=480&fit=bounds"), Input("width=640&height=480&fit=cover")),
    (Input("width=640&height=480&fit=bounds"), Input("width=640&height=480&fit=crop")),
    (Input("quality=50"), Input("quality=51")),
    (Input("quality=50,30"), Input("quality=50")),
    (Input("format=jpg"), Input("format=pjpg")),
    (Input("format=jpg"), Input("format=png")),
    (Input(""), Input("format=jpg")),
    (Input("width=640"), Input("width=640&enable=upscale")),
    (Input(""), Input("orient=r")),
    (Input(""), Input("orient=1")),
    (Input("orient=r"), Input("orient=l")),
    (Input("width=640", declared: (640, 480)), Input("width=640", declared: (640, 481))),
    (Input("width=640", declared: (640, 480)), Input("width=640")),
    (Input("width=640"), Input("width=640&auto=webp")),
    (Input("auto=avif,webp"), Input("auto=webp,avif")),
    (Input("auto=webp,avif", accepting: [.webp]), Input("auto=webp,avif", accepting: [.avif])),
    (Input("auto=webp", accepting: [.webp]), Input("auto=webp", accepting: [.jpeg])),
    // Same query, different dialect defaults (imgix q 75 vs Fastly 85).
    (Input("https://a.imgix.net/p.jpg?w=640"), Input(fastlyURL("width=640"))),
    (
      Input("https://a.imgix.net/p.jpg?w=640&h=640&fit=crop&crop=entropy"),
      Input("https://a.imgix.net/p.jpg?w=640&h=640&fit=crop&crop=top")
    ),
    (
      Input("https://a.imgix.net/p.jpg?w=640&h=640&fit=crop"),
      Input("https://a.imgix.net/p.jpg?w=640&h=640&fit=min")
    ),
  ]

  func testEquivalentInputsShareAKey() throws {
    for (left, right) in Self.sameKeys {
      XCTAssertEqual(try left.key(), try right.key(), "\(left)  vs  \(right)")
    }
  }

  func testDifferentOutputsHaveDifferentKeys() throws {
    for (left, right) in Self.differentKeys {
      XCTAssertNotEqual(try left.key(), try right.key(), "\(left)  vs  \(right)")
    }
  }

  func testKeyShape() throws {
    let spec = try ThumbnailSpec.parse(
      url: fastlyURL("crop=3104,2328,x175,y0&quality=50&width=640"), declaredWidth: 640,
      declaredHeight: 480)
    XCTAssertEqual(
      spec.canonicalKey, "v1|crop=px3104,px2328@px175,px0|size=box:px640xpx480,crop|fmt=src|q=50")
  }

  func testEmptyOrientIsInvalid() {
    assertSpecError(.invalidSpec, parameter: "orient") { try ThumbnailSpec.parse(query: "orient=") }
  }
}
