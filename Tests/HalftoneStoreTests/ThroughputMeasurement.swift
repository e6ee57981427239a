import Foundation
import HalftoneStore
import XCTest

/// Not a test: prints lookups/s and puts/s when HALFTONE_MEASURE=1 (goals: ≥ 50 000 lookups/s by
/// URL, ≥ 2 000 fsynced 100 KB puts/s). Never asserts timings.
final class ThroughputMeasurement: StoreTestCase {
  func testMeasureThroughput() throws {
    guard ProcessInfo.processInfo.environment["HALFTONE_MEASURE"] == "1" else {
      throw XCTSkip("set HALFTONE_MEASURE=1 to measure")
    }
    let cache = try openCache()
    let urls = (0..<10_000).map { "https://cdn.example/images/\($0).jpg?width=300" }
    var generator = SeededGenerator(seed: 7)
    let payload = randomBytes(100_000, using: &generator)

    // 100 KB puts, fsync on, one thread.
    let blobs = (0..<1_000).map { index -> Data in
      var data = payload
      withUnsafeBytes(of: index) { data.replaceSubrange(0..<8, with: $0) }
      return data
    }
    var start = Date()
    for data in blobs.prefix(500) { try cache.putBlob(data) }
    let putsPerSecond = 500 / Date().timeIntervalSince(start)

    // 100 KB puts, fsync on, 4 threads (fsyncs overlap in the journal).
    start = Date()
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      for data in blobs[500...].enumerated().filter({ $0.offset % 4 == worker }).map(\.element) {
        _ = try? cache.putBlob(data)
      }
    }
    let parallelPutsPerSecond = 500 / Date().timeIntervalSince(start)

    // Rows, then lookups by URL.
    let digests = blobs.map(Digest.of)
    start = Date()
    for (index, url) in urls.enumerated() {
      try cache.recordSource(
        url: url, original: digests[index % digests.count], format: .jpeg, bytes: 100_000)
    }
    let recordsPerSecond = Double(urls.count) / Date().timeIntervalSince(start)

    let lookups = 100_000
    start = Date()
    var hits = 0
    for index in 0..<lookups where try cache.source(forURL: urls[index % urls.count]) != nil {
      hits += 1
    }
    let lookupsPerSecond = Double(lookups) / Date().timeIntervalSince(start)
    XCTAssertEqual(hits, lookups)

    start = Date()
    let threadLookups = 25_000
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      for index in 0..<threadLookups {
        _ = try? cache.source(forURL: urls[(index * 4 + worker) % urls.count])
      }
    }
    let parallelLookupsPerSecond = Double(4 * threadLookups) / Date().timeIntervalSince(start)

    print(
      """
      throughput: \(Int(lookupsPerSecond)) lookups/s (1 thread), \
      \(Int(parallelLookupsPerSecond)) lookups/s (4 threads), \
      \(Int(putsPerSecond)) puts/s of 100 KB with fsync (1 thread), \
      \(Int(parallelPutsPerSecond)) puts/s (4 threads), \(Int(recordsPerSecond)) recordSource/s
      """)
  }
}
