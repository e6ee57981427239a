import Benchmark
import Foundation
import HalftoneImaging

/// Thumbnailing to an article's 640×480 box (crop to fill, Lanczos3, as `prefetch` renders), one
/// render per iteration on one thread:
/// - `thumbnail/input/<format> <size>`: each source format and size → 640×480 JPEG;
/// - `thumbnail/output/<format>`: a 1600×1067 JPEG → 640×480 in each output format;
/// - `thumbnail/file/<name>`: each file of `HALFTONE_BENCH_IMAGES` → 640×480 JPEG.
func registerThumbnailBenchmarks() {
  let thumbnailer = Thumbnailer()
  let configuration = Benchmark.Configuration(maxDuration: .seconds(3), maxIterations: 200)

  for size in InputSize.allCases {
    for format in InputFormat.allCases {
      Benchmark(
        "thumbnail/input/\(format.rawValue) \(size.rawValue)", configuration: configuration
      ) { (benchmark: Benchmark, source: Data) in
        for _ in benchmark.scaledIterations {
          blackHole(try thumbnailer.thumbnail(source, spec: articleSpec(.jpeg)))
        }
      } setup: {
        try InputCache.shared.image(format, size)
      }
    }
  }

  for output in OutputFormat.allCases {
    Benchmark(
      "thumbnail/output/\(output.rawValue)",
      configuration: configuration
    ) { (benchmark: Benchmark, source: Data) in
      let spec = articleSpec(output)
      for _ in benchmark.scaledIterations {
        blackHole(try thumbnailer.thumbnail(source, spec: spec))
      }
    } setup: {
      try InputCache.shared.image(.jpeg, .web)
    }
  }

  // Real photos, when HALFTONE_BENCH_IMAGES names a directory of them (Benchmarks/compare builds
  // one under Benchmarks/work/corpus).
  for (name, bytes) in InputCache.directoryImages() {
    Benchmark("thumbnail/file/\(name)", configuration: configuration) { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try thumbnailer.thumbnail(bytes, spec: articleSpec(.jpeg)))
      }
    }
  }
}

/// What an article record asks for: exactly 640×480, filled (centre crop), in `format`.
func articleSpec(_ format: OutputFormat) -> ThumbnailSpec {
  var spec = try! ThumbnailSpec.parse(
    query: "", dialect: .fastly, declaredWidth: 640, declaredHeight: 480)
  try! spec.override(width: nil, height: nil, format: format, quality: nil)
  return spec
}
