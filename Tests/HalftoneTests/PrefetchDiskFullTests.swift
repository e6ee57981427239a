import Foundation
import Halftone
import HalftoneCore
import HalftoneImaging
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// A cache on a file system that fills up mid-run: the references that no longer fit fail as
/// `storage`, the run goes on to the end, and what was stored before stays intact.
final class PrefetchDiskFullTests: XCTestCase {
  func testReferencesThatDoNotFitFailAsStorageAndTheStoredOnesStayIntact() async throws {
    let mountPoint = FileManager.default.temporaryDirectory
      .appendingPathComponent("halftone-small-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: mountPoint) }
    guard runSystemCommand("/bin/mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.path)
    else {
      throw XCTSkip("cannot mount a tmpfs here (needs root)")
    }
    defer { runSystemCommand("/bin/umount", mountPoint.path) }

    let bench = try PrefetchBench(cacheRoot: mountPoint.appendingPathComponent("cache"))
    // Ten distinct originals of a few hundred KB each: more than the 2 MiB file system holds.
    var lines: [String] = []
    for index in 0..<10 {
      let jpeg = Fixtures.photoJPEG(width: 1200 + 16 * index, height: 900)
      bench.origin.route("/photo-\(index).jpg", .always(.ok(jpeg, contentType: "image/jpeg")))
      lines.append(
        bench.jsonLine(url: bench.origin.url("/photo-\(index).jpg"), width: 320, height: 240))
    }
    try bench.write("articles.jsonl", lines.joined(separator: "\n"))

    let (summary, outcomes) = try await bench.run { options, _ in options.concurrency = 2 }

    XCTAssertEqual(outcomes.count, 10, "every reference has an outcome")
    XCTAssertEqual(summary.ok + summary.failed, 10)
    let failed = outcomes.filter { $0.status == .failed }
    let stored = outcomes.filter { $0.status == .ok }
    XCTAssertFalse(failed.isEmpty, "2 MiB cannot hold ten originals")
    XCTAssertFalse(stored.isEmpty, "the first ones fit")
    for outcome in failed {
      XCTAssertEqual(outcome.errorKind, .storage, "\(outcome.url): \(outcome.error ?? "")")
      let message = outcome.error ?? ""
      XCTAssertTrue(
        message.contains("No space left on device") || message.contains("full"),
        "the message says the disk is full: \(message)")
    }
    // What was reported stored is there, whole, and decodes.
    let thumbnailer = Thumbnailer()
    for outcome in stored {
      let digest = try XCTUnwrap(outcome.thumbnail?.digest)
      let bytes = try XCTUnwrap(bench.cache.readBlob(digest), outcome.url)
      XCTAssertEqual(Digest.of(bytes), digest)
      let info = try thumbnailer.probe(bytes)
      XCTAssertEqual([info.width, info.height], [320, 240])
      let original = try XCTUnwrap(outcome.original?.digest)
      XCTAssertTrue(bench.cache.hasBlob(original))
    }
    let report = try bench.cache.verify(repair: false)
    XCTAssertTrue(report.corrupt.isEmpty && report.danglingURLs.isEmpty, "\(report)")
    XCTAssertTrue(report.danglingThumbnails.isEmpty && report.unreadable.isEmpty, "\(report)")
  }
}
