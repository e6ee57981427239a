import Foundation
import HalftoneImaging
import HalftoneSpec

/// Images from the web: the header probe with its pixel limit, then, for small images, a render
/// through the same pipeline prefetch uses. Any bytes must give an image or a typed error.
enum ImageTargets {
  static let thumbnailer = Thumbnailer(maxPixels: 4_000_000)
  static let spec: ThumbnailSpec = {
    do {
      return try ThumbnailSpec.parse(query: "width=32&height=24&fit=crop")
    } catch {
      fatalError("the fuzz spec is invalid: \(error)")
    }
  }()

  /// Starts libvips (its start-up would otherwise be charged to the first input) with one PNG.
  static func prepare() {
    let png = Data(
      base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
    )
    if let png { image(png) }
  }

  static func image(_ data: Data) {
    guard let probe = try? thumbnailer.probe(data) else { return }
    invariant(probe.width >= 1 && probe.height >= 1, "probe \(probe.width)x\(probe.height)")
    invariant(probe.width * probe.height <= 4_000_000, "probe over the pixel limit")
    guard probe.width * probe.height <= 1_000_000 else { return }
    if let thumbnail = try? thumbnailer.thumbnail(data, spec: spec) {
      invariant(!thumbnail.bytes.isEmpty, "an empty thumbnail")
    }
  }
}
