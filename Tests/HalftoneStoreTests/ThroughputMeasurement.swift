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

    // 100 KB puts, fsync on: one thread, then 4 and 16 (concurrent fsyncs share journal
    // commits), then without fsync (the code's own cost).
    let blobs = (0..<1_600).map { index -> Data in
      var data = payload
      withUnsafeBytes(of: index) { data.replaceSubrange(0..<8, with: $0) }
      return data
    }
    func putsPerSecond(_ slice: ArraySlice<Data>, threads: Int, into target: Cache) -> Double {
      let start = Date()
      let chunks = Array(slice)
      DispatchQueue.concurrentPerform(iterations: threads) { worker in
        for index in stride(from: worker, to: chunks.count, by: threads) {
          _ = try? target.putBlob(chunks[index])
        }
      }
      return Double(chunks.count) / Date().timeIntervalSince(start)
    }
    let puts1 = putsPerSecond(blobs[0..<300], threads: 1, into: cache)
    let puts4 = putsPerSecond(blobs[300..<700], threads: 4, into: cache)
    let puts16 = putsPerSecond(blobs[700..<1_300], threads: 16, into: cache)
    var noSync = CacheOptions()
    noSync.durable = false
    let scratch = try Cache.open(root: directory.appendingPathComponent("NoSync"), options: noSync)
    let putsNoSync = putsPerSecond(blobs[1_300...], threads: 1, into: scratch)

    // Rows, then lookups by URL.
    let digests = blobs.prefix(1_300).map(Digest.of)
    var start = Date()
    for (index, url) in urls.enumerated() {
      try cache.recordOriginal(
        url: url, original: digests[index % digests.count], format: .jpeg, bytes: 100_000)
    }
    let recordsPerSecond = Double(urls.count) / Date().timeIntervalSince(start)

    let lookups = 100_000
    start = Date()
    var hits = 0
    for index in 0..<lookups where try cache.original(forURL: urls[index % urls.count]) != nil {
      hits += 1
    }
    let lookupsPerSecond = Double(lookups) / Date().timeIntervalSince(start)
    XCTAssertEqual(hits, lookups)

    start = Date()
    let threadLookups = 25_000
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      for index in 0..<threadLookups {
        _ = try? cache.original(forURL: urls[(index * 4 + worker) % urls.count])
      }
    }
    let parallelLookupsPerSecond = Double(4 * threadLookups) / Date().timeIntervalSince(start)

    print(
      """
      throughput: \(Int(lookupsPerSecond)) lookups/s (1 thread), \
      \(Int(parallelLookupsPerSecond)) lookups/s (4 threads), \
      100 KB puts/s with fsync: \(Int(puts1)) (1 thread), \(Int(puts4)) (4 threads), \
      \(Int(puts16)) (16 threads); without fsync \(Int(putsNoSync)) (1 thread); \
      \(Int(recordsPerSecond)) recordSource/s
      """)
  }
}
