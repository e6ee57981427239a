import CBenchInputs
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
  private var photos: [String: PhotoLikeImage] = [:]

  func image(_ format: InputFormat, _ size: InputSize) throws -> Data {
    lock.lock()
    defer { lock.unlock() }
    let key = "\(format.rawValue) \(size.rawValue)"
    if let data = encoded[key] { return data }
    let photo = try photoLocked(size)
    let data: Data
    switch format {
    case .jpeg: data = try photo.encoded(HBENCH_JPEG, quality: 90)
    case .progressiveJPEG: data = try photo.encoded(HBENCH_JPEG_PROGRESSIVE, quality: 90)
    case .png: data = try photo.encoded(HBENCH_PNG)
    case .webp: data = try photo.encoded(HBENCH_WEBP, quality: 90)
    }
    encoded[key] = data
    return data
  }

  private func photoLocked(_ size: InputSize) throws -> PhotoLikeImage {
    if let photo = photos[size.rawValue] { return photo }
    let (width, height) = size.dimensions
    let photo = try PhotoLikeImage(width: width, height: height)
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

/// A deterministic photo-like image in memory, made by tools/CBenchInputs: gradients, waves of
/// several periods and a noise texture, so encoders and resamplers see structure at every scale (a
/// flat image would flatter them all). Halftone's libvips wrapper has no generators (production
/// never makes images from nothing), so the benchmarks bring their own.
final class PhotoLikeImage {
  private let image: UnsafeMutablePointer<_VipsImage>

  init(width: Int, height: Int) throws {
    // Halftone's start-up: the same libvips settings as the thumbnailer runs with.
    try VipsRuntime.ensureStarted()
    guard let image = hbench_photo(Int32(width), Int32(height)) else {
      throw Self.libvipsError("photo \(width)x\(height)")
    }
    self.image = image
  }

  deinit { hbench_unref(image) }

  /// The image encoded as Halftone's encoders would with their default options.
  func encoded(_ format: HBenchFormat, quality: Int = 90) throws -> Data {
    var bytes: UnsafeMutableRawPointer?
    var length = 0
    guard hbench_encode(image, format, Int32(quality), &bytes, &length) == 0, let bytes else {
      throw Self.libvipsError("encode")
    }
    return Data(
      bytesNoCopy: bytes, count: length,
      deallocator: .custom { pointer, _ in
        hbench_free(pointer)
      })
  }

  private static func libvipsError(_ operation: String) -> VipsError {
    var message = "unknown libvips error"
    if let copy = hbench_error_copy() {
      message = String(cString: copy)
      hbench_free(copy)
    }
    return VipsError(operation: operation, message: message)
  }
}
