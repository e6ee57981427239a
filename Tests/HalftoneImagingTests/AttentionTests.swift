import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// Gravity `.attention`: the region is resized to cover the output and libvips' smartcrop picks
/// the most interesting part.
final class AttentionTests: XCTestCase {
  /// A flat grey 800×400 scene with a saturated red and yellow checkerboard (the subject) at
  /// `subjectX` … `subjectX` + 100.
  func scene(subjectX: Int) throws -> Data {
    let (width, height) = (800, 400)
    var pixels = [UInt8](repeating: 128, count: width * height * 3)
    for y in 150..<250 {
      for x in subjectX..<(subjectX + 100) {
        let yellow = ((x / 10) + (y / 10)) % 2 == 0
        let offset = (y * width + x) * 3
        pixels[offset] = 230
        pixels[offset + 1] = yellow ? 210 : 20
        pixels[offset + 2] = 20
      }
    }
    return try VipsImage(pixels: pixels, width: width, height: height, bands: 3).pngData()
  }

  /// Mean of red minus blue: 0 on grey, 210 on the subject.
  func redness(_ thumbnail: Thumbnail) throws -> Double {
    let image = try Reference.decode(thumbnail.bytes)
    return try (image.bands(0) - image.bands(2)).average()
  }

  func render(_ master: Data, gravity: Gravity, region: PixelRect) throws -> Thumbnail {
    let plan = ThumbnailPlan(
      region: region, width: 200, height: 200, gravity: gravity, format: .png, quality: 90)
    let thumbnail = try Thumbnailer().render(master, plan: plan)
    XCTAssertEqual([thumbnail.width, thumbnail.height], [200, 200])
    let decoded = try Reference.decode(thumbnail.bytes)
    XCTAssertEqual([decoded.width, decoded.height], [200, 200])
    return thumbnail
  }

  func testAttentionFindsTheSubjectOnEitherSide() throws {
    let whole = PixelRect(x: 0, y: 0, width: 800, height: 400)
    for subjectX in [620, 80] {
      let master = try scene(subjectX: subjectX)
      // Covering 200×200 from 800×400 gives 400×200; the subject is 50 px wide there.
      let smart = try redness(render(master, gravity: .attention, region: whole))
      // The centre 400×400 square, what a spec would otherwise take, misses it.
      let centre = try redness(
        render(master, gravity: .centre, region: PixelRect(x: 200, y: 0, width: 400, height: 400)))
      print("subject at \(subjectX): attention redness \(smart), centre \(centre)")
      // The whole subject (50×50 of 200×200, red minus blue 210) averages 13.1.
      XCTAssertGreaterThan(smart, 12, "attention crop misses the subject at x \(subjectX)")
      XCTAssertLessThan(centre, 1)
    }
  }
}
