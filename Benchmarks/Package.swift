// swift-tools-version: 6.1
import PackageDescription

// Halftone's micro-benchmarks (ordo-one's Benchmark), kept out of the main package so that neither
// `swift build` nor CI resolves or builds the benchmark machinery. Run from this directory:
//   swift package benchmark                      (see README-section.md)
// The end-to-end comparison with other tools is ./compare, not part of this package.
let package = Package(
  name: "HalftoneBenchmarks",
  // As the Halftone package: macOS 15, for Synchronization.Mutex.
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "Halftone", path: ".."),
    // ordo-one/benchmark (formerly package-benchmark, whose identifier it now warns about). Naming
    // the MallocInterposer trait (its malloc counters) also leaves out its default Swift 6.3
    // runtime-interposer trait, whose extra package would otherwise have to resolve.
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.29.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    // The plugin discovers executable targets whose folder sits in a folder named Benchmarks:
    // this package's root is Benchmarks/, so the target lives in Benchmarks/Halftone.
    .executableTarget(
      name: "HalftoneBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "HalftoneSpec", package: "Halftone"),
        .product(name: "HalftoneImaging", package: "Halftone"),
        .product(name: "HalftoneStore", package: "Halftone"),
        "CBenchInputs",
      ],
      path: "Halftone",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    // The source images: Halftone's libvips wrapper has no generators, so the benchmarks make
    // their own (libvips found with pkg-config, as the Halftone package finds it).
    .systemLibrary(name: "CBenchVips", path: "tools/CBenchVips", pkgConfig: "vips"),
    .target(name: "CBenchInputs", dependencies: ["CBenchVips"], path: "tools/CBenchInputs"),
    // The imaging work alone, without threads or async, for valgrind's callgrind (see its
    // header). Outside Benchmarks/<folder> so the benchmark plugin does not take it for a suite.
    .executableTarget(
      name: "thumbnail-profile",
      dependencies: [.product(name: "HalftoneImaging", package: "Halftone")],
      path: "tools/ThumbnailProfile"
    ),
  ],
  swiftLanguageModes: [.v6]
)
