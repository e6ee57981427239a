import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// Every bad input ends in a typed error of the right kind, with a message naming the problem.
final class BadInputTests: XCTestCase {
  let plan = ThumbnailPlan(
    region: PixelRect(x: 0, y: 0, width: 800, height: 600), width: 200, height: 150,
    format: .jpeg, quality: 80)

  func assertKind(
    _ expected: ErrorKind, mentioning words: [String] = [], file: StaticString = #filePath,
    line: UInt = #line, _ body: () throws(ImagingError) -> Void
  ) {
    do {
      try body()
      XCTFail("expected \(expected.rawValue), got success", file: file, line: line)
    } catch {
      XCTAssertEqual(error.kind, expected, "\(error)", file: file, line: line)
      for word in words {
        XCTAssertTrue(
          error.message.contains(word), "\"\(error.message)\" lacks \(word)", file: file, line: line
        )
      }
    }
  }

  func testEmptyBodyIsNotAnImage() {
    assertKind(.notAnImage, mentioning: ["empty"]) { () throws(ImagingError) in
      _ = try Thumbnailer().probe(Data())
    }
    assertKind(.notAnImage) { () throws(ImagingError) in
      _ = try Thumbnailer().render(Data(), plan: plan)
    }
  }

  func testHTMLNamedJPEGIsNotAnImage() {
    assertKind(.notAnImage, mentioning: ["HTML", "<!DOCTYPE html>"]) { () throws(ImagingError) in
      _ = try Thumbnailer().render(Fixtures.htmlErrorPage, plan: plan)
    }
  }

  func testBinaryGarbageIsNotAnImage() {
    let pdf = Data("%PDF-1.7\n%\u{e2}\u{e3}\u{cf}\u{d3}\n1 0 obj".utf8)
    assertKind(.notAnImage, mentioning: ["%PDF"]) { () throws(ImagingError) in
      _ = try Thumbnailer().probe(pdf)
    }
    assertKind(.notAnImage, mentioning: ["00 01 02"]) { () throws(ImagingError) in
      _ = try Thumbnailer().probe(Data((0..<64).map { UInt8($0) }))
    }
  }

  /// Half a JPEG: the header is intact (so probing works), decoding the missing rows is an error,
  /// not grey pixels.
  func testTruncatedJPEGIsCorrupt() throws {
    let truncated = Fixtures.truncatedJPEG(width: 800, height: 600, fraction: 0.5)
    XCTAssertEqual(try Thumbnailer().probe(truncated).width, 800)
    for format in [OutputFormat.jpeg, .png] {
      var jpegPlan = plan
      jpegPlan.format = format
      assertKind(.corruptImage, mentioning: ["decode"]) { () throws(ImagingError) in
        _ = try Thumbnailer().render(truncated, plan: jpegPlan)
      }
    }
    // Shrink-on-load (a small output) takes another decoder path: still an error.
    var small = plan
    small.width = 80
    small.height = 60
    assertKind(.corruptImage) { () throws(ImagingError) in
      _ = try Thumbnailer().render(truncated, plan: small)
    }
  }

  /// Every format: a file cut in half is corrupt_image, never a partly grey thumbnail.
  func testTruncatedFilesOfEveryFormatAreCorrupt() {
    let wholes: [(String, Data)] = [
      ("png", Fixtures.photoPNG(width: 400, height: 300)),
      ("webp", Fixtures.photoWebP(width: 400, height: 300)),
      ("gif", Fixtures.photoGIF(width: 400, height: 300)),
      ("tiff", Fixtures.photoTIFF(width: 400, height: 300)),
      ("heic", Fixtures.photoHEIC(width: 400, height: 300)),
    ]
    var small = plan
    small.region = PixelRect(x: 0, y: 0, width: 400, height: 300)
    for (name, whole) in wholes {
      let truncated = whole.prefix(whole.count / 2)
      do {
        let thumbnail = try Thumbnailer().render(truncated, plan: small)
        XCTFail("truncated \(name) rendered \(thumbnail.width)x\(thumbnail.height)")
      } catch {
        XCTAssertEqual(error.kind, .corruptImage, "truncated \(name): \(error)")
      }
    }
  }

  /// Cut inside the header: even the probe fails, as corrupt (it is a JPEG, just a broken one).
  func testJPEGCutInItsHeaderIsCorrupt() {
    let stub = Fixtures.photoJPEG(width: 800, height: 600).prefix(120)
    assertKind(.corruptImage, mentioning: ["header"]) { () throws(ImagingError) in
      _ = try Thumbnailer().probe(stub)
    }
  }

  /// A 30000×30000 PNG header with no pixel data: refused from the header alone. With a higher
  /// limit the same header probes fine, proving the refusal came from the limit, not a parse error.
  func testPixelBombRefusedFromHeader() throws {
    let bomb = Fixtures.pngHeaderOnly(width: 30_000, height: 30_000)
    XCTAssertLessThan(bomb.count, 100)
    assertKind(.tooManyPixels, mentioning: ["30000x30000", "100000000"]) {
      () throws(ImagingError) in _ = try Thumbnailer().probe(bomb)
    }
    assertKind(.tooManyPixels) { () throws(ImagingError) in
      _ = try Thumbnailer().render(bomb, plan: plan)
    }
    let lenient = Thumbnailer(maxPixels: 1_000_000_000)
    XCTAssertEqual(
      try lenient.probe(bomb),
      ImageProbe(width: 30_000, height: 30_000, format: .png, hasAlpha: false))
    // And no pixels to decode.
    assertKind(.corruptImage) { () throws(ImagingError) in
      _ = try lenient.render(bomb, plan: plan)
    }
  }

  func testLimitAppliesToOrdinaryImages() {
    let jpeg = Fixtures.photoJPEG(width: 800, height: 600)
    assertKind(.tooManyPixels, mentioning: ["800x600"]) { () throws(ImagingError) in
      _ = try Thumbnailer(maxPixels: 479_999).probe(jpeg)
    }
    XCTAssertNoThrow(try Thumbnailer(maxPixels: 480_000).probe(jpeg))
  }

  /// Progressive JPEGs decode whole whatever the shrink: a lower limit applies to them.
  func testProgressiveJPEGHasItsOwnLimit() throws {
    let progressive = Fixtures.photoProgressiveJPEG(width: 800, height: 600)
    let baseline = Fixtures.photoJPEG(width: 800, height: 600)
    let thumbnailer = Thumbnailer(maxPixels: 1_000_000, maxInterlacedPixels: 400_000)
    assertKind(.tooManyPixels, mentioning: ["progressive", "400000"]) { () throws(ImagingError) in
      _ = try thumbnailer.probe(progressive)
    }
    XCTAssertEqual(try thumbnailer.render(baseline, plan: plan).width, 200)
    // Under the limit, progressive sources render like baseline ones.
    let progressiveThumbnail = try Thumbnailer().render(progressive, plan: plan)
    let reference = try Reference.cropThenResize(
      progressive, region: plan.region, width: 200, height: 150)
    XCTAssertGreaterThanOrEqual(
      try psnr(Reference.decode(progressiveThumbnail.bytes), reference), 32)
  }

  func testRegionOutsideTheImage() {
    let jpeg = Fixtures.photoJPEG(width: 800, height: 600)
    let regions = [
      PixelRect(x: 1, y: 0, width: 800, height: 600),
      PixelRect(x: 0, y: 590, width: 200, height: 20),
      PixelRect(x: -1, y: 0, width: 100, height: 100),
      PixelRect(x: 900, y: 0, width: 10, height: 10),
      PixelRect(x: Int.max - 5, y: 0, width: 10, height: 10),
    ]
    for region in regions {
      var outside = plan
      outside.region = region
      assertKind(.cropOutOfBounds, mentioning: [region.description, "800x600"]) {
        () throws(ImagingError) in _ = try Thumbnailer().render(jpeg, plan: outside)
      }
    }
  }

  func testRefusedFormatIsUnsupported() {
    let tiff = Fixtures.photoTIFF(width: 300, height: 200)
    assertKind(.unsupportedFormat, mentioning: ["tiff"]) { () throws(ImagingError) in
      _ = try Thumbnailer(allowedFormats: [.jpeg, .png, .webp]).probe(tiff)
    }
  }

  func testInvalidPlansAreImagingErrors() {
    let jpeg = Fixtures.photoJPEG(width: 800, height: 600)
    var zeroWidth = plan
    zeroWidth.width = 0
    var badQuality = plan
    badQuality.quality = 0
    var badOrientation = plan
    badOrientation.orientation = .fixed(9)
    var emptyRegion = plan
    emptyRegion.region = PixelRect(x: 0, y: 0, width: 0, height: 10)
    for bad in [zeroWidth, badQuality, badOrientation, emptyRegion] {
      assertKind(.imaging, mentioning: ["invalid plan"]) { () throws(ImagingError) in
        _ = try Thumbnailer().render(jpeg, plan: bad)
      }
    }
  }
}
