import Foundation
import HalftoneTestSupport
import XCTest

@testable import HalftoneImaging

/// The thumbnailer reads the caller's bytes in place (no copy) and keeps nothing made from them:
/// a caller may reuse or free its buffer as soon as a call returns.
final class BorrowedBytesTests: XCTestCase {
  func testAReusedBufferGivesTheSameThumbnailsAsOwnedData() throws {
    let first = Fixtures.photoJPEG(width: 1600, height: 1200)
    let second = Fixtures.orientedJPEG(width: 1200, height: 900, orientation: 6)
    let plan = ThumbnailPlan(
      region: PixelRect(x: 0, y: 0, width: 800, height: 600), width: 320, height: 240,
      format: .jpeg, quality: 80, progressive: false)
    let thumbnailer = Thumbnailer()
    let expected = try [first, second].map { try thumbnailer.render($0, plan: plan) }
    let imagesBefore = VipsRuntime.liveImageCount

    let capacity = max(first.count, second.count)
    let memory = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    defer { memory.deallocate() }
    var made: [Thumbnail] = []
    for source in [first, second] {
      source.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
      let borrowed = Data(bytesNoCopy: memory, count: source.count, deallocator: .none)
      XCTAssertEqual(
        try thumbnailer.probe(borrowed).width, try thumbnailer.probe(source).width)
      made.append(try thumbnailer.render(borrowed, plan: plan))
      // Nothing libvips made from the borrowed bytes is alive any more, so nothing can read them
      // after the call (a leaked image, or a cached load, would show here).
      XCTAssertEqual(VipsRuntime.liveImageCount, imagesBefore, "an image outlived the call")
      XCTAssertEqual(VipsRuntime.cachedOperationCount, 0, "libvips cached an operation")
      memory.initializeMemory(as: UInt8.self, repeating: 0xA5, count: capacity)
    }
    XCTAssertEqual(made.map(\.bytes), expected.map(\.bytes))
    // The count does see images: one held open adds one.
    let held = try VipsImage(buffer: first)
    XCTAssertEqual(VipsRuntime.liveImageCount, imagesBefore + 1)
    XCTAssertEqual(held.width, 1600)
    XCTAssertEqual(try thumbnailer.probe(made[1].bytes).width, 320)
  }

  func testErrorsFromBorrowedBytesKeepTheirKind() {
    let thumbnailer = Thumbnailer()
    let truncated = Fixtures.truncatedJPEG(width: 1600, height: 1200)
    let plan = ThumbnailPlan(
      region: PixelRect(x: 0, y: 0, width: 1600, height: 1200), width: 160, height: 120,
      format: .jpeg, quality: 80, progressive: false)
    XCTAssertThrowsError(try thumbnailer.render(truncated, plan: plan)) { error in
      XCTAssertEqual((error as? ImagingError)?.kind, .corruptImage)
    }
    XCTAssertThrowsError(try thumbnailer.probe(Data())) { error in
      XCTAssertEqual((error as? ImagingError)?.kind, .notAnImage)
    }
  }
}
