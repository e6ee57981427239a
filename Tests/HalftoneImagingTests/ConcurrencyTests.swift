import Dispatch
import Foundation
import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// Many threads rendering at once get the same bytes as one thread alone, and errors stay typed.
final class ConcurrencyTests: XCTestCase {
  final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Result<Thumbnail, ImagingError>] = [:]
    func set(_ index: Int, _ value: Result<Thumbnail, ImagingError>) {
      lock.withLock { values[index] = value }
    }
    subscript(index: Int) -> Result<Thumbnail, ImagingError>? { lock.withLock { values[index] } }
  }

  func testConcurrentRendersMatchSequentialOnes() throws {
    let master = Fixtures.photoJPEG(width: 1600, height: 1200)
    let oriented = Fixtures.orientedJPEG(width: 1600, height: 1200, orientation: 6)
    let truncated = Fixtures.truncatedJPEG(width: 1600, height: 1200)
    let formats: [OutputFormat] = [.jpeg, .png, .webp]
    // Eight different jobs: regions, sizes, formats, orientation, and one that must fail.
    let jobs: [(Data, ThumbnailPlan)] = (0..<8).map { index in
      let region = PixelRect(x: 37 * index, y: 21 * index, width: 1200, height: 900)
      let plan = ThumbnailPlan(
        region: region, width: 320 - 8 * index, height: 240 - 6 * index,
        format: formats[index % formats.count], quality: 70, progressive: index % 2 == 0)
      let source = index == 7 ? truncated : index % 3 == 1 ? oriented : master
      return (source, plan)
    }
    let thumbnailer = Thumbnailer()
    let sequential = jobs.map { job in
      Result { () throws(ImagingError) in try thumbnailer.render(job.0, plan: job.1) }
    }

    for _ in 0..<2 {
      let results = Results()
      DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
        let job = jobs[index]
        results.set(
          index, Result { () throws(ImagingError) in try thumbnailer.render(job.0, plan: job.1) })
      }
      for index in jobs.indices {
        switch (results[index], sequential[index]) {
        case (.success(let concurrent)?, .success(let alone)):
          XCTAssertEqual(concurrent.bytes, alone.bytes, "job \(index) differs when concurrent")
          XCTAssertEqual(
            [concurrent.width, concurrent.height], [jobs[index].1.width, jobs[index].1.height])
        case (.failure(let concurrent)?, .failure(let alone)):
          XCTAssertEqual(index, 7, "only the truncated job may fail: \(concurrent)")
          XCTAssertEqual(concurrent.kind, .corruptImage)
          XCTAssertEqual(alone.kind, .corruptImage)
        default:
          XCTFail(
            "job \(index): concurrent \(String(describing: results[index])) "
              + "vs alone \(sequential[index])"
          )
        }
      }
    }
    // The successful ones are right, not merely consistent.
    let reference = try Reference.cropThenResize(
      master, region: jobs[0].1.region, width: 320, height: 240)
    guard case .success(let first) = sequential[0] else { return XCTFail("job 0 failed") }
    XCTAssertGreaterThanOrEqual(try psnr(Reference.decode(first.bytes), reference), 32)
  }
}
