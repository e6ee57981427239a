import Benchmark
import HalftoneSpec

/// Reading CDN URLs into specs and naming their variants: 1,000 URLs per iteration.
func registerSpecBenchmarks() {
  let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo,
    maxDuration: .seconds(2), maxIterations: 1_000)

  for (dialect, url, width, height) in specURLs {
    Benchmark("spec/parse/\(dialect)", configuration: configuration) { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try ThumbnailSpec.parse(url: url, declaredWidth: width, declaredHeight: height))
      }
    }
    Benchmark("spec/canonical key/\(dialect)", configuration: configuration) {
      (benchmark: Benchmark, spec: ThumbnailSpec) in
      for _ in benchmark.scaledIterations {
        blackHole(spec.canonicalKey)
      }
    } setup: {
      try ThumbnailSpec.parse(url: url, declaredWidth: width, declaredHeight: height)
    }
  }
}

/// One typical article URL per dialect, with the size its record declares.
let specURLs: [(dialect: String, url: String, width: Int?, height: Int?)] = [
  (
    "fastly",
    "https://www.gannett-cdn.com/presto/2019/05/01/USAT/0b6f.JPG?crop=3104,2328,x175,y0&quality=50&width=640",
    640, 480
  ),
  (
    "imgix",
    "https://assets.imgix.net/photos/harbour.jpg?w=1200&h=630&fit=crop&crop=faces&auto=format,compress&q=70",
    nil, nil
  ),
  (
    "photon",
    "https://i0.wp.com/example.com/wp-content/uploads/2020/01/harbour.jpg?resize=640%2C480&quality=80&ssl=1",
    nil, nil
  ),
  (
    "thumbor",
    "https://thumbs.example.com/unsafe/fit-in/640x480/filters:quality(80)/example.com/photos/harbour.jpg",
    nil, nil
  ),
]
