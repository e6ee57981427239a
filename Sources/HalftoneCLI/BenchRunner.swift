import Foundation
import HalftoneCore
import HalftoneImaging
import HalftoneSpec

/// The images a benchmark renders, held in memory so the timed part does no I/O.
struct BenchCorpus {
  struct Image {
    var name: String
    var bytes: Data
    var megapixels: Double
  }
  var images: [Image]

  static func load(directory: String) throws -> BenchCorpus {
    let root = URL(fileURLWithPath: directory)
    guard
      let walker = FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isRegularFileKey])
    else {
      throw CommandFailure.usage("cannot read directory \(directory)")
    }
    let probe = Thumbnailer()
    var images: [Image] = []
    for case let file as URL in walker {
      guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
        let bytes = try? Data(contentsOf: file), ImageFormat.sniff(bytes) != nil,
        let info = try? probe.probe(bytes)
      else { continue }
      images.append(
        Image(
          name: file.lastPathComponent, bytes: bytes,
          megapixels: Double(info.width * info.height) / 1_000_000))
    }
    images.sort { $0.name < $1.name }
    return BenchCorpus(images: images)
  }
}

/// What `halftone bench` prints.
struct BenchResult: Encodable {
  var images: Int
  var threads: Int
  var renders: Int
  var failures: Int
  var firstFailure: String?
  var seconds: Double
  var imagesPerSecond: Double
  var megapixelsPerSecond: Double
  var p50Milliseconds: Double
  var p95Milliseconds: Double
  var p99Milliseconds: Double
  var peakRSSMegabytes: Double

  var text: String {
    """
    images: \(images) × \(renders / max(images, 1)) on \(threads) thread(s), \(renders) renders in \(String(format: "%.2f", seconds)) s\(failures > 0 ? ", \(failures) FAILED" : "")
    throughput: \(String(format: "%.1f", imagesPerSecond)) images/s, \(String(format: "%.1f", megapixelsPerSecond)) MP/s
    latency: p50 \(String(format: "%.1f", p50Milliseconds)) ms, p95 \(String(format: "%.1f", p95Milliseconds)) ms, p99 \(String(format: "%.1f", p99Milliseconds)) ms
    peak RSS: \(String(format: "%.0f", peakRSSMegabytes)) MB
    """
  }

  enum CodingKeys: String, CodingKey {
    case images, threads, renders, failures, seconds
    case firstFailure = "first_failure"
    case imagesPerSecond = "images_per_second"
    case megapixelsPerSecond = "megapixels_per_second"
    case p50Milliseconds = "p50_ms"
    case p95Milliseconds = "p95_ms"
    case p99Milliseconds = "p99_ms"
    case peakRSSMegabytes = "peak_rss_mb"
  }
}

/// Renders a corpus on dedicated threads (not the Swift concurrency pool, whose width is the core
/// count and which must not block) and measures each render.
struct BenchRunner: @unchecked Sendable {
  var corpus: BenchCorpus
  var spec: ThumbnailSpec
  var thumbnailer: Thumbnailer
  var threads: Int
  var repeats: Int

  /// Per-run state the threads share: the next job to take and every thread's measurements.
  private struct Tally {
    var next = 0
    var latencies: [Double] = []
    var megapixels = 0.0
    var failures = 0
    var firstFailure: String?

    /// The next job below `limit`, or nil when all are taken.
    mutating func take(limit: Int) -> Int? {
      guard next < limit else { return nil }
      next += 1
      return next - 1
    }
  }

  func run() -> BenchResult {
    // Warm-up: every image once, so first-use costs (loaders, tables) stay out of the figures.
    for image in corpus.images {
      _ = try? thumbnailer.thumbnail(image.bytes) { source throws(SpecError) in
        try spec.plan(for: source)
      }
    }

    let shared = Locked(Tally())
    let total = corpus.images.count * repeats
    let done = DispatchGroup()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<threads {
      done.enter()
      let thread = Thread { [self] in
        var local: [Double] = []
        var megapixels = 0.0
        var failures = 0
        var firstFailure: String?
        while let job = shared.withLock({ $0.take(limit: total) }) {
          let image = corpus.images[job % corpus.images.count]
          let t0 = DispatchTime.now().uptimeNanoseconds
          do {
            _ = try thumbnailer.thumbnail(image.bytes) { source throws(SpecError) in
              try spec.plan(for: source)
            }
            megapixels += image.megapixels
          } catch {
            failures += 1
            firstFailure =
              firstFailure ?? ((error as? any HalftoneError)?.kind.rawValue ?? "imaging")
          }
          local.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        shared.withLock { tally in
          tally.latencies += local
          tally.megapixels += megapixels
          tally.failures += failures
          tally.firstFailure = tally.firstFailure ?? firstFailure
        }
        done.leave()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    done.wait()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let tally = shared.withLock { $0 }
    let sorted = tally.latencies.sorted()
    func percentile(_ p: Double) -> Double {
      sorted.isEmpty
        ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
    return BenchResult(
      images: corpus.images.count, threads: threads, renders: total, failures: tally.failures,
      firstFailure: tally.firstFailure, seconds: seconds,
      imagesPerSecond: Double(total - tally.failures) / seconds,
      megapixelsPerSecond: tally.megapixels / seconds,
      p50Milliseconds: percentile(0.50), p95Milliseconds: percentile(0.95),
      p99Milliseconds: percentile(0.99), peakRSSMegabytes: ProcessMemory.peakResidentMegabytes())
  }
}

/// Reads the process's peak resident set size (VmHWM) from /proc.
enum ProcessMemory {
  static func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
      return kilobytes / 1024
    }
    return 0
  }
}
