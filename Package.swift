// swift-tools-version: 6.1
import PackageDescription

// One target per stage of the flow: records → spec → fetch → store → thumbnail → store → serve.
// Production C lives only in CHalftone (and the two system-library module maps it builds on); the
// tests' fixtures have their own, CHalftoneTestShim.
let package = Package(
  name: "Halftone",
  // macOS 15: `Locked` (HalftoneCore) is built on Synchronization.Mutex.
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "halftone", targets: ["HalftoneCLI"]),
    .library(name: "Halftone", targets: ["Halftone"]),
    // For Benchmarks/ and Fuzz/, packages of their own that measure and fuzz the stages.
    .library(name: "HalftoneSpec", targets: ["HalftoneSpec"]),
    .library(name: "HalftoneRecords", targets: ["HalftoneRecords"]),
    .library(name: "HalftoneImaging", targets: ["HalftoneImaging"]),
    .library(name: "HalftoneStore", targets: ["HalftoneStore"]),
    .library(name: "HalftoneArchive", targets: ["HalftoneArchive"]),
    .library(name: "HalftoneServer", targets: ["HalftoneServer"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
    // Already there through Hummingbird; named for the event-loop fast path's channel handler.
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
  ],
  targets: [
    // System libraries, found with pkg-config (Debian: libvips-dev, libcurl4-openssl-dev).
    .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    // Non-variadic wrappers and macros Swift cannot call directly.
    .target(name: "CHalftone", dependencies: ["CVips", "CCurl"]),

    // Vocabulary shared by every stage: error kinds as the report names them, and the one lock.
    .target(name: "HalftoneCore"),
    .target(name: "HalftoneRecords", dependencies: ["HalftoneCore", "Yams"]),
    .target(name: "HalftoneSpec", dependencies: ["HalftoneCore"]),
    .target(name: "HalftoneImaging", dependencies: ["HalftoneCore", "HalftoneSpec", "CHalftone"]),
    .target(name: "HalftoneFetch", dependencies: ["HalftoneCore", "CHalftone"]),
    .target(
      name: "HalftoneArchive",
      dependencies: [
        "HalftoneCore", "HalftoneFetch", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .target(
      name: "HalftoneS3",
      dependencies: [
        "HalftoneStore", "HalftoneFetch", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .target(
      name: "HalftoneStore",
      dependencies: [
        "HalftoneCore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .target(
      name: "Halftone",
      dependencies: [
        "HalftoneCore", "HalftoneRecords", "HalftoneSpec", "HalftoneImaging", "HalftoneFetch",
        "HalftoneArchive", "HalftoneStore",
      ]
    ),
    .target(
      name: "HalftoneServer",
      dependencies: [
        "Halftone", "HalftoneCore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "HalftoneCLI",
      dependencies: [
        "Halftone", "HalftoneCore", "HalftoneServer", "HalftoneS3", "Yams",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // Shared by the tests: fixture images made with libvips, a fault-injecting origin server.
    .target(
      name: "HalftoneTestSupport",
      dependencies: [
        "HalftoneImaging", "HalftoneStore", "HalftoneS3", "HalftoneCore", "CHalftoneTestShim",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      path: "Tests/HalftoneTestSupport"
    ),
    // The tests' libvips wrappers (generators, arithmetic, HEIC/GIF/TIFF savers): not production C.
    .target(
      name: "CHalftoneTestShim", dependencies: ["CHalftone"], path: "Tests/CHalftoneTestShim"),
    .testTarget(name: "HalftoneSpecTests", dependencies: ["HalftoneSpec"]),
    .testTarget(name: "HalftoneRecordsTests", dependencies: ["HalftoneRecords"]),
    .testTarget(
      name: "HalftoneImagingTests", dependencies: ["HalftoneImaging", "HalftoneTestSupport"]),
    .testTarget(
      name: "HalftoneFetchTests", dependencies: ["HalftoneFetch", "HalftoneTestSupport"]),
    .testTarget(
      name: "HalftoneStoreTests", dependencies: ["HalftoneStore", "HalftoneTestSupport"]),
    .testTarget(name: "HalftoneS3Tests", dependencies: ["HalftoneS3", "HalftoneTestSupport"]),
    .testTarget(
      name: "HalftoneTests", dependencies: ["Halftone", "HalftoneArchive", "HalftoneTestSupport"]),
    .testTarget(
      name: "HalftoneArchiveTests",
      dependencies: [
        "HalftoneArchive", "HalftoneTestSupport", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(
      name: "HalftoneServerTests",
      dependencies: ["HalftoneServer", "HalftoneArchive", "HalftoneTestSupport"]),
    .testTarget(
      name: "HalftoneCLITests",
      dependencies: ["HalftoneStore", "HalftoneS3", "HalftoneFetch", "HalftoneTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
