// swift-tools-version: 6.1
import PackageDescription

// Halftone's coverage-guided fuzz targets (libFuzzer), kept out of the main package so that neither
// `swift build` nor the test suite builds them with the fuzzer's instrumentation. Build and run
// them with `scripts/fuzz` (it passes `--sanitize fuzzer --sanitize address`); one executable,
// `halftone-fuzz TARGET [libFuzzer options] [CORPUS…]`, holds every target.
let package = Package(
  name: "HalftoneFuzz",
  // As the Halftone package: macOS 15, for Synchronization.Mutex.
  platforms: [.macOS(.v15)],
  products: [.executable(name: "halftone-fuzz", targets: ["HalftoneFuzz"])],
  dependencies: [.package(name: "Halftone", path: "..")],
  targets: [
    .executableTarget(
      name: "HalftoneFuzz",
      dependencies: [
        .product(name: "HalftoneSpec", package: "Halftone"),
        .product(name: "HalftoneRecords", package: "Halftone"),
        .product(name: "HalftoneImaging", package: "Halftone"),
        .product(name: "HalftoneServer", package: "Halftone"),
        .product(name: "HalftoneArchive", package: "Halftone"),
      ])
  ]
)
