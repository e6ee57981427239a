// swift-tools-version: 6.1
import PackageDescription

// Halftone's coverage-guided fuzz targets (libFuzzer), kept out of the main package so that neither
// `swift build` nor the test suite builds them with the fuzzer's instrumentation. Build and run
// them with `scripts/fuzz` (it passes the fuzzer's and AddressSanitizer's flags); one executable,
// `halftone-fuzz TARGET [libFuzzer options] [CORPUS…]`, holds every target.
let package = Package(
  name: "HalftoneFuzz",
  // As the Halftone package: macOS 15, for Synchronization.Mutex.
  platforms: [.macOS(.v15)],
  products: [.executable(name: "halftone-fuzz", targets: ["HalftoneFuzz"])],
  dependencies: [
    .package(name: "Halftone", path: ".."),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
  ],
  targets: [
    .executableTarget(
      name: "HalftoneFuzz",
      dependencies: [
        .product(name: "HalftoneSpec", package: "Halftone"),
        .product(name: "HalftoneRecords", package: "Halftone"),
        .product(name: "HalftoneImaging", package: "Halftone"),
        .product(name: "HalftoneServer", package: "Halftone"),
        .product(name: "HalftoneArchive", package: "Halftone"),
        .product(name: "HalftoneStore", package: "Halftone"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ])
  ]
)
