import Benchmark
import Foundation
import HalftoneStore

/// The cache: storing and reading 100 KB blobs (a typical thumbnail), and index lookups.
///
/// Caches are made under `HALFTONE_BENCH_DIR` (default: the temporary directory) so fsync costs
/// are those of the disk a real cache would use; set it to a folder on that disk.
func registerStoreBenchmarks() {
  let blobBytes = 100 * 1024
  let perBlob = Benchmark.Configuration(
    metrics: [.wallClock, .throughput], maxDuration: .seconds(3), maxIterations: 5_000)

  for durable in [true, false] {
    let scratch = ScratchCache()
    Benchmark(
      "store/put blob/100 KB \(durable ? "fsync" : "no fsync")", configuration: perBlob
    ) { (benchmark: Benchmark, cache: Cache) in
      for _ in benchmark.scaledIterations {
        // A new digest each time, or the store would find the blob already present.
        blackHole(try cache.putBlob(scratch.nextUniqueBlob(bytes: blobBytes)))
      }
    } setup: {
      try scratch.open(durable: durable)
    } teardown: {
      scratch.remove()
    }
  }

  // As a prefetch stores: several writers at once, whose puts the store groups so that they
  // share barriers (see GroupCommit). 1,000 puts per iteration, shared by 4 threads; wall clock
  // and throughput are per put.
  let writers = 4
  let concurrent = ScratchCache()
  Benchmark(
    "store/put blob/100 KB fsync, \(writers) writers",
    configuration: .init(
      metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(5),
      maxIterations: 20)
  ) { (benchmark: Benchmark, cache: Cache) in
    let blobs = (0..<benchmark.scaledIterations.count).map { _ in
      concurrent.nextUniqueBlob(bytes: blobBytes)
    }
    let failures = FailureCount()
    benchmark.startMeasurement()
    DispatchQueue.concurrentPerform(iterations: writers) { writer in
      for index in stride(from: writer, to: blobs.count, by: writers) {
        do { try cache.putBlob(blobs[index]) } catch { failures.add() }
      }
    }
    benchmark.stopMeasurement()
    if failures.count > 0 { benchmark.error("\(failures.count) puts failed") }
  } setup: {
    try concurrent.open(durable: true)
  } teardown: {
    concurrent.remove()
  }

  // A batch as `Cache.putBlobs` stores it: 32 blobs share one data barrier and one name barrier
  // (syncfs). 1,000 puts per iteration; wall clock and throughput are per put.
  let batched = ScratchCache()
  Benchmark(
    "store/put blobs/100 KB fsync, batches of 32",
    configuration: .init(
      metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(5),
      maxIterations: 20)
  ) { (benchmark: Benchmark, cache: Cache) in
    let blobs = (0..<benchmark.scaledIterations.count).map { _ in
      batched.nextUniqueBlob(bytes: blobBytes)
    }
    var failures = 0
    benchmark.startMeasurement()
    for start in stride(from: 0, to: blobs.count, by: 32) {
      let batch = Array(blobs[start..<min(start + 32, blobs.count)])
      failures += cache.putBlobs(batch).filter { (try? $0.get()) == nil }.count
    }
    benchmark.stopMeasurement()
    if failures > 0 { benchmark.error("\(failures) puts failed") }
  } setup: {
    try batched.open(durable: true)
  } teardown: {
    batched.remove()
  }

  let reads = ScratchCache()
  Benchmark("store/read blob/100 KB", configuration: perBlob) {
    (benchmark: Benchmark, state: (cache: Cache, digest: Digest)) in
    for _ in benchmark.scaledIterations {
      blackHole(try state.cache.readBlob(state.digest))
    }
  } setup: {
    let cache = try reads.open(durable: true)
    return (cache: cache, digest: try cache.putBlob(reads.nextUniqueBlob(bytes: blobBytes)))
  } teardown: {
    reads.remove()
  }

  // Index lookups: 1,000 per iteration over an index of 10,000 URLs (and 10,000 variants), in a
  // shuffled order so no lookup repeats the previous one.
  let lookups = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo,
    maxDuration: .seconds(3), maxIterations: 1_000)
  let indexed = ScratchCache()
  let urlCount = 10_000
  Benchmark("index/source by URL/10k URLs", configuration: lookups) {
    (benchmark: Benchmark, state: ScratchCache.Populated) in
    var next = 0
    for _ in benchmark.scaledIterations {
      blackHole(try state.cache.original(forURL: state.urls[next]))
      next = (next + 1) % state.urls.count
    }
  } setup: {
    try indexed.populated(urls: urlCount)
  } teardown: {
    indexed.remove()
  }

  let variants = ScratchCache()
  Benchmark("index/variant by original and spec key/10k", configuration: lookups) {
    (benchmark: Benchmark, state: ScratchCache.Populated) in
    var next = 0
    for _ in benchmark.scaledIterations {
      blackHole(try state.cache.thumbnail(original: state.originals[next], specKey: state.specKey))
      next = (next + 1) % state.originals.count
    }
  } setup: {
    try variants.populated(urls: urlCount)
  } teardown: {
    variants.remove()
  }
}

/// Failures counted across threads.
final class FailureCount: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  var count: Int { lock.withLock { value } }
  func add() { lock.withLock { value += 1 } }
}

/// A cache in a fresh scratch directory, removed at teardown.
final class ScratchCache: @unchecked Sendable {
  private var directory: URL?
  private var counter: UInt64 = 0
  private lazy var base: Data = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255) })

  struct Populated {
    var cache: Cache
    var urls: [String]
    var originals: [Digest]
    var specKey: String
  }

  func open(durable: Bool) throws -> Cache {
    let parent =
      ProcessInfo.processInfo.environment["HALFTONE_BENCH_DIR"].map {
        URL(fileURLWithPath: $0)
      } ?? FileManager.default.temporaryDirectory
    let directory = parent.appendingPathComponent("halftone-bench-\(UUID().uuidString)")
    self.directory = directory
    var options = CacheOptions()
    options.durable = durable
    return try Cache.open(root: directory, options: options)
  }

  /// `bytes` random-looking bytes whose first eight are a counter: a distinct blob every call.
  func nextUniqueBlob(bytes: Int) -> Data {
    counter += 1
    var data = base.prefix(bytes)
    withUnsafeBytes(of: counter.littleEndian) { data.replaceSubrange(0..<8, with: $0) }
    return data
  }

  /// An index of `urls` sources (all naming one stored original) and as many variants (one per
  /// made-up original, all naming one stored thumbnail), in shuffled lookup order.
  func populated(urls count: Int) throws -> Populated {
    let cache = try open(durable: true)
    let original = try cache.putBlob(nextUniqueBlob(bytes: 100 * 1024))
    let thumbnail = try cache.putBlob(nextUniqueBlob(bytes: 10 * 1024))
    let specKey = "v1|size=w:px640,h:px480,fit:crop|fmt=jpeg|q=85"
    var urls: [String] = []
    var originals: [Digest] = []
    for index in 0..<count {
      let url = "https://cdn.example.com/photos/2024/\(index % 365)/image-\(index).jpg"
      try cache.recordOriginal(
        url: url, original: original, format: .jpeg, bytes: 100 * 1024, width: 4000,
        height: 3000)
      let made = Digest.of(Data("original \(index)".utf8))
      try cache.recordThumbnail(
        original: made, specKey: specKey, thumbnail: thumbnail, width: 640, height: 480,
        format: .jpeg, bytes: 10 * 1024)
      urls.append(url)
      originals.append(made)
    }
    return Populated(
      cache: cache, urls: urls.shuffled(), originals: originals.shuffled(), specKey: specKey)
  }

  func remove() {
    if let directory { try? FileManager.default.removeItem(at: directory) }
    directory = nil
  }
}
