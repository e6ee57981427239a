import Foundation
import HalftoneStore
import XCTest

/// A writer process killed with SIGKILL at random moments leaves no partial blob, loses no row it
/// reported as committed, and leaves a cache that verifies clean.
final class CrashSafetyTests: StoreTestCase {
  func testKilledWritersLeaveNoPartialBlobs() throws {
    let kills = 24
    var committedSources: [String: String] = [:]
    var committedVariants: [(original: String, key: String, thumbnail: String)] = []
    var generator = SystemRandomNumberGenerator()

    for seed in 0..<kills {
      let child = try ChildProcess(
        test: "HalftoneStoreTests.CrashWriterChild/testWriterLoop",
        environment: ["HALFTONE_CRASH_CHILD": cacheRoot.path, "HALFTONE_CHILD_SEED": "\(seed)"])
      guard child.waitFor("ready") else {
        _ = child.finish()
        return XCTFail("writer \(seed) did not start: \(child.transcript)")
      }
      // Let it commit a few entries (so every writer makes progress however loaded the
      // machine), then kill it at a random moment of its following writes.
      let commits = Int.random(in: 1...3, using: &generator)
      guard child.waitFor(prefix: "source https://crash.example/\(seed)/\(commits - 1).jpg ") else {
        _ = child.finish()
        return XCTFail("writer \(seed) stopped early: \(child.transcript)")
      }
      usleep(UInt32.random(in: 0...60_000, using: &generator))
      child.kill()
      let lines = child.finish()
      XCTAssertEqual(child.process.terminationReason, .uncaughtSignal, child.transcript)
      for line in lines {
        let fields = line.split(separator: " ").map(String.init)
        switch fields.first {
        case "source": committedSources[fields[1]] = fields[2]
        case "variant": committedVariants.append((fields[1], fields[2], fields[3]))
        default: break
        }
      }
    }
    XCTAssertGreaterThanOrEqual(committedSources.count, kills, "every writer made progress")

    let cache = try openCache()
    for name in try blobFiles() {
      XCTAssertNotNil(Digest(hex: name), "only complete, published blobs in blobs/: \(name)")
    }
    // Every row the writers saw committed survived, with its blob intact.
    for (url, hex) in committedSources {
      let record = try XCTUnwrap(cache.original(forURL: url), url)
      XCTAssertEqual(record.original.hex, hex)
      let data = try XCTUnwrap(cache.readBlob(record.original))
      XCTAssertEqual(Digest.of(data), record.original)
    }
    for variant in committedVariants {
      let original = try XCTUnwrap(Digest(hex: variant.original))
      let record = try XCTUnwrap(cache.thumbnail(original: original, specKey: variant.key))
      XCTAssertEqual(record.thumbnail.hex, variant.thumbnail)
    }

    let report = try cache.verify(repair: false)
    XCTAssertTrue(report.isClean, "\(report)")
    XCTAssertEqual(report.corrupt, [])
    // What a kill can leave: staging files and blobs whose row was not yet written. Both are
    // young, hence protected; a repair with no grace period clears them.
    print(
      "crash test: \(kills) kills, \(committedSources.count) committed sources, "
        + "\(report.recentLeftovers) staging leftovers, \(report.recentOrphans) unrecorded blobs")
    let repaired = try cache.verify(repair: true, grace: 0)
    XCTAssertEqual(repaired.corrupt, [])
    XCTAssertEqual(repaired.danglingURLs, [])
    XCTAssertEqual(repaired.danglingThumbnails, [])
    let final = try cache.verify(repair: false, grace: 0)
    XCTAssertTrue(final.isClean, "\(final)")
    XCTAssertEqual(try stagingFiles(), [])
  }
}

/// The writer that `CrashSafetyTests` kills. Skipped unless run as its child.
final class CrashWriterChild: XCTestCase {
  func testWriterLoop() throws {
    let environment = ProcessInfo.processInfo.environment
    guard let directory = environment["HALFTONE_CRASH_CHILD"],
      let seed = environment["HALFTONE_CHILD_SEED"].flatMap(UInt64.init)
    else { throw XCTSkip("runs only as a child process of CrashSafetyTests") }
    let cache = try Cache.open(root: URL(fileURLWithPath: directory))
    ChildProcess.emit("ready")
    var generator = SeededGenerator(seed: seed &+ 1)
    let deadline = Date().addingTimeInterval(20)  // in case the parent died
    var index = 0
    while Date() < deadline && index < 5_000 {
      // Every fourth original repeats bytes another writer may also store: the reuse path.
      let data =
        index % 4 == 0
        ? sharedBytes(index / 4 % 3)
        : randomBytes(Int.random(in: 1_000...1_500_000, using: &generator), using: &generator)
      let original = try cache.putBlob(data)
      let url = "https://crash.example/\(seed)/\(index).jpg"
      try cache.recordOriginal(url: url, original: original, format: .jpeg, bytes: data.count)
      ChildProcess.emit("source \(url) \(original.hex)")
      let thumbnailBytes = randomBytes(
        Int.random(in: 500...60_000, using: &generator), using: &generator)
      let thumbnail = try cache.putBlob(thumbnailBytes)
      try cache.recordThumbnail(
        original: original, specKey: "w=\(index)&s=\(seed)", thumbnail: thumbnail, width: 10,
        height: 10, format: .webp, bytes: thumbnailBytes.count)
      ChildProcess.emit("variant \(original.hex) w=\(index)&s=\(seed) \(thumbnail.hex)")
      index += 1
    }
  }

  private func sharedBytes(_ which: Int) -> Data {
    var generator = SeededGenerator(seed: 0xC0FFEE + UInt64(which))
    return randomBytes(400_000, using: &generator)
  }
}
