import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// One crop, every grammar: the seed's 3104×2328 region at 175,0 scaled to 640×480, written in
/// each dialect that can say it, reads to the same plan and renders the same pixels.
final class SameCropEveryGrammarTests: XCTestCase {
  /// The master is larger than the crop on every side but the top, so each grammar's own
  /// coordinate convention (origin and size, two corners, insets) is exercised.
  let master = (width: 3600, height: 2600)

  var urls: [(Dialect, String)] {
    let insets = "trim=0;321;272;175"
    let trimRegion = "trim.left=175,trim.top=0,trim.width=3104,trim.height=2328"
    return [
      (
        .fastly,
        "https://www.gannett-cdn.com/presto/2019/06/01/USAT/a.jpg"
          + "?crop=3104,2328,x175,y0&width=640&quality=90"
      ),
      (.imgix, "https://example.imgix.net/a.jpg?rect=175,0,3104,2328&w=640&h=480&q=90"),
      (
        .photon,
        "https://i0.wp.com/example.com/a.jpg?crop=175px,0px,3104px,2328px&resize=640,480&quality=90"
      ),
      (
        .thumbor,
        "https://thumbor.example.com/unsafe/175x0:3279x2328/640x480/filters:quality(90)/"
          + "example.com/a.jpg"
      ),
      (
        .thumbor,
        "https://cdn.vox-cdn.com/thumbor/aBcD0123456789aBcD012345678=/175x0:3279x2328/640x480/"
          + "filters:quality(90)/cdn.vox-cdn.com/uploads/chorus_asset/file/1/a.jpg"
      ),
      (
        .cloudinary,
        "https://res.cloudinary.com/demo/image/upload/c_crop,x_175,y_0,w_3104,h_2328/"
          + "c_scale,w_640,h_480/q_90/a.jpg"
      ),
      (.cloudflare, "https://example.com/cdn-cgi/image/\(insets),width=640,quality=90/a.jpg"),
      (.cloudflare, "https://example.com/cdn-cgi/image/\(trimRegion),width=640,quality=90/a.jpg"),
      (
        .brightspot,
        "https://example.brightspotcdn.com/dims4/default/0a1b2c3/2147483647/strip/true/"
          + "crop/3104x2328+175+0/resize/640x480!/quality/90/"
          + "?url=https%3A%2F%2Fexample.com%2Fa.jpg"
      ),
      (
        .imagekit,
        "https://ik.imagekit.io/demo/tr:cm-extract,x-175,y-0,w-3104,h-2328:w-640,h-480,q-90/a.jpg"
      ),
      (
        .akamai,
        "https://www.example.com/a.jpg"
          + "?im=Crop,rect=(175,0,3104,2328);Resize,width=640,height=480;Quality=90"
      ),
      (
        .sanity,
        "https://cdn.sanity.io/images/proj/prod/abc123-3600x2600.jpg"
          + "?rect=175,0,3104,2328&w=640&h=480&q=90"
      ),
    ]
  }

  func testEveryGrammarPlansTheSameRegionAndSize() throws {
    let probe = ImageProbe(
      width: master.width, height: master.height, format: .jpeg, hasAlpha: false)
    for (dialect, url) in urls {
      let spec = try ThumbnailSpec.parse(url: url)
      XCTAssertEqual(spec.dialect, dialect, url)
      let plan = try spec.plan(for: probe)
      XCTAssertEqual(plan.region, PixelRect(x: 175, y: 0, width: 3104, height: 2328), url)
      XCTAssertEqual([plan.width, plan.height], [640, 480], url)
      XCTAssertEqual(plan.quality, 90, url)
      XCTAssertEqual(plan.format, .jpeg, url)
    }
  }

  func testEveryGrammarRendersTheSamePixels() throws {
    let bytes = Fixtures.photoJPEG(width: master.width, height: master.height)
    let thumbnailer = Thumbnailer()
    var renders: [(String, VipsImage)] = []
    for (_, url) in urls {
      let spec = try ThumbnailSpec.parse(url: url)
      let decoded = try Reference.decode(thumbnailer.thumbnail(bytes, spec: spec).bytes)
      XCTAssertEqual([decoded.width, decoded.height], [640, 480], url)
      renders.append((url, decoded))
    }
    let reference = try Reference.cropThenResize(
      bytes, region: PixelRect(x: 175, y: 0, width: 3104, height: 2328), width: 640, height: 480)
    XCTAssertGreaterThanOrEqual(try psnr(renders[0].1, reference), 30, "against libvips itself")
    for (index, (url, image)) in renders.enumerated() {
      for (otherURL, other) in renders[(index + 1)...] {
        XCTAssertGreaterThanOrEqual(try psnr(image, other), 40, "\(url)\nvs \(otherURL)")
      }
    }
  }
}
