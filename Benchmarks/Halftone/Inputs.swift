import Foundation
import HalftoneImaging

/// Source images for the thumbnail benchmarks, made in-process with libvips (nothing is committed
/// or fetched), or read from `HALFTONE_BENCH_IMAGES` when set.
enum InputFormat: String, CaseIterable {
  case jpeg
  case progressiveJPEG = "jpeg-progressive"
  case png, webp
}

/// The source sizes measured: a web-sized article master and a 12 MP camera original.
enum InputSize: String, CaseIterable {
  case web = "1600x1067"
  case camera = "4000x3000"

  var dimensions: (width: Int, height: Int) {
    switch self {
    case .web: (1600, 1067)
    case .camera: (4000, 3000)
    }
  }
}

/// Encoded inputs, made once per process on first use (a 12 MP PNG takes seconds to encode, so
/// only the benchmarks that run pay for their inputs).
final class InputCache: @unchecked Sendable {
  static let shared = InputCache()
  private let lock = NSLock()
  private var encoded: [String: Data] = [:]
  private var photos: [String: VipsImage] = [:]

  func image(_ format: InputFormat, _ size: InputSize) throws -> Data {
    lock.lock()
    defer { lock.unlock() }
    let key = "\(format.rawValue) \(size.rawValue)"
    if let data = encoded[key] { return data }
    let photo = try photoLocked(size)
    let data: Data
    switch format {
    case .jpeg: data = try photo.jpegData(quality: 90)
    case .progressiveJPEG: data = try photo.jpegData(quality: 90, progressive: true)
    case .png: data = try photo.pngData()
    case .webp: data = try photo.webpData(quality: 90)
    }
    encoded[key] = data
    return data
  }

  private func photoLocked(_ size: InputSize) throws -> VipsImage {
    if let photo = photos[size.rawValue] { return photo }
    let (width, height) = size.dimensions
    let photo = try PhotoLikePattern.image(width: width, height: height).materialized()
    photos[size.rawValue] = photo
    return photo
  }

  /// The images in the directory `HALFTONE_BENCH_IMAGES` names (read recursively): every regular
  /// file libvips can probe, sorted by file name. Empty when the variable is unset.
  static func directoryImages() -> [(name: String, bytes: Data)] {
    guard let path = ProcessInfo.processInfo.environment["HALFTONE_BENCH_IMAGES"], !path.isEmpty,
      let walker = FileManager.default.enumerator(
        at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.isRegularFileKey])
    else { return [] }
    let probe = Thumbnailer()
    var found: [(name: String, bytes: Data)] = []
    for case let file as URL in walker {
      guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
        let bytes = try? Data(contentsOf: file), (try? probe.probe(bytes)) != nil
      else { continue }
      found.append((file.lastPathComponent, bytes))
    }
    return found.sorted { $0.name < $1.name }
  }
}

/// A deterministic photo-like image: gradients, waves of several periods and a noise texture, so
/// encoders and resamplers see structure at every scale (a flat image would flatter them all).
enum PhotoLikePattern {
  static func image(width: Int, height: Int) throws(VipsError) -> VipsImage {
    let coordinates = try VipsImage.xyz(width: width, height: height)
    let x = try coordinates.bands(0)
    let y = try coordinates.bands(1)
    let (w, h) = (Double(width), Double(height))
    func wave(_ value: VipsImage, period: Double, cosine: Bool = false, amplitude: Double)
      throws(VipsError) -> VipsImage
    {
      let angle = try value.linear(360 / period, 0)
      return try (cosine ? angle.cosDegrees() : angle.sinDegrees()).linear(amplitude, 0)
    }
    let detail =
      try wave(x + y, period: 61, amplitude: 14) + wave(x, period: 43, cosine: true, amplitude: 10)
    let red = try x.linear(60 / w, 110) + wave(x, period: 173, amplitude: 35)
    let green = try y.linear(70 / h, 100) + wave(y, period: 97, cosine: true, amplitude: 30)
    let blue = try x.linear(-50 / w, 130) + wave(x - y, period: 311, amplitude: 40)
    // Noise is the slow part to generate: one 256 px tile, repeated.
    let tile = 256
    let noise = try VipsImage.bandjoin(
      (1...3).map { (seed: Int) throws(VipsError) -> VipsImage in
        try VipsImage.gaussianNoise(width: tile, height: tile, sigma: 6, seed: seed)
      }
    ).materialized()
      .replicated(across: (width + tile - 1) / tile, down: (height + tile - 1) / tile)
      .extractArea(x: 0, y: 0, width: width, height: height)
    let colour = try VipsImage.bandjoin([red + detail, green + detail, blue + detail]) + noise
    return try colour.cast(to: .uchar).reinterpreted(as: .srgb)
  }
}
