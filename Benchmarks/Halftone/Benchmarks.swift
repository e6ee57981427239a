import Benchmark

/// Every benchmark of the target; the plugin's generated `main` calls this.
///
/// Names are stable (baselines are matched by name): `area/what/variant`.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 1,
    maxDuration: .seconds(3),
    maxIterations: 1_000
  )
  registerThumbnailBenchmarks()
  registerSpecBenchmarks()
  registerStoreBenchmarks()
}
