import Foundation
import HalftoneStore
import XCTest

/// Two processes write and read one cache at once while a third repairs it: no lost rows, no
/// corrupt blobs, no "database is locked".
final class ConcurrencyTests: StoreTestCase {
  func testTwoProcessesShareOneCache() throws {
    let count = 120
    _ = try openCache()  // create it up front so that both children race on rows, not on setup
    let go = directory.appendingPathComponent("go")
    let children = try ["a", "b"].map { id in
      try ChildProcess(
        test: "HalftoneStoreTests.ConcurrentChild/testReadWriteLoop",
        environment: [
          "HALFTONE_CONCURRENT_CHILD": cacheRoot.path, "HALFTONE_CHILD_ID": id,
          "HALFTONE_CHILD_COUNT": "\(count)", "HALFTONE_CHILD_GO": go.path,
        ])
    }
    for child in children {
      XCTAssertTrue(child.waitFor("ready"), child.transcript)
    }
    try Data().write(to: go)

    // Meanwhile this process verifies and repairs with the default grace period: it must not
    // take anything from the writers.
    let cache = try openCache()
    var passes = 0
    while children.contains(where: { $0.process.isRunning }) {
      let report = try cache.verify(repair: true)
      XCTAssertEqual(report.corrupt, [])
      XCTAssertEqual(report.danglingURLs, [])
      passes += 1
    }
    for child in children {
      let lines = child.finish()
      XCTAssertEqual(child.process.terminationStatus, 0, child.transcript)
      XCTAssertTrue(lines.contains("done \(count)"), child.transcript)
      XCTAssertFalse(child.transcript.contains("locked"), child.transcript)
    }

    for id in ["a", "b"] {
      for index in 0..<count {
        let url = "https://concurrent.example/\(id)/\(index).png"
        let record = try XCTUnwrap(cache.original(forURL: url), "lost row \(url)")
        let data = try XCTUnwrap(cache.readBlob(record.original))
        XCTAssertEqual(Digest.of(data), record.original)
        XCTAssertEqual(try cache.thumbnails(original: record.original).isEmpty, false)
      }
    }
    let stats = try cache.stats()
    XCTAssertEqual(stats.originalURLs, 2 * count)
    let report = try cache.verify(repair: false, grace: 0)
    XCTAssertTrue(report.isClean, "\(report)")
    print("concurrency test: \(passes) verify passes ran during the writes")
  }
}

/// One of the two processes of `ConcurrencyTests`. Skipped unless run as its child.
final class ConcurrentChild: XCTestCase {
  func testReadWriteLoop() throws {
    let environment = ProcessInfo.processInfo.environment
    guard let directory = environment["HALFTONE_CONCURRENT_CHILD"],
      let id = environment["HALFTONE_CHILD_ID"],
      let count = environment["HALFTONE_CHILD_COUNT"].flatMap(Int.init),
      let go = environment["HALFTONE_CHILD_GO"]
    else { throw XCTSkip("runs only as a child process of ConcurrencyTests") }
    let peer = id == "a" ? "b" : "a"
    let cache = try Cache.open(root: URL(fileURLWithPath: directory))
    ChildProcess.emit("ready")
    let deadline = Date().addingTimeInterval(30)
    while !FileManager.default.fileExists(atPath: go) {
      guard Date() < deadline else { return XCTFail("no start signal") }
      usleep(2_000)
    }

    var generator = SeededGenerator(seed: UInt64(id.unicodeScalars.first!.value))
    for index in 0..<count {
      // A third of the originals are the same bytes in both processes: both store one blob.
      var sharedGenerator = SeededGenerator(seed: 1_000 + UInt64(index))
      let data =
        index % 3 == 0
        ? randomBytes(30_000, using: &sharedGenerator)
        : randomBytes(Int.random(in: 1_000...80_000, using: &generator), using: &generator)
      let url = "https://concurrent.example/\(id)/\(index).png"
      let original = try cache.putBlob(data)
      try cache.recordOriginal(url: url, original: original, format: .png, bytes: data.count)
      // The same original and spec give the same thumbnail, as real rendering does.
      var thumbnailGenerator = SeededGenerator(
        seed: data.prefix(8).reduce(UInt64(index)) { $0 &* 31 &+ UInt64($1) })
      let thumbnailBytes = randomBytes(2_000, using: &thumbnailGenerator)
      let thumbnail = try cache.putBlob(thumbnailBytes)
      try cache.recordThumbnail(
        original: original, specKey: "w=\(index)", thumbnail: thumbnail, width: 10,
        height: 10, format: .webp, bytes: thumbnailBytes.count)

      let mine = try XCTUnwrap(cache.original(forURL: url))
      XCTAssertEqual(mine.original, original)
      XCTAssertEqual(try cache.readBlob(original), data)
      if let theirs = try cache.original(forURL: "https://concurrent.example/\(peer)/\(index).png")
      {
        let bytes = try XCTUnwrap(cache.readBlob(theirs.original))
        XCTAssertEqual(Digest.of(bytes), theirs.original)
      }
      try cache.touch(original)
      if index % 40 == 0 { _ = try cache.stats() }
    }
    ChildProcess.emit("done \(count)")
  }
}
