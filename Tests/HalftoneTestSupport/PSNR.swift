import Foundation
import HalftoneImaging

/// Peak signal-to-noise ratio of two 8-bit images of the same size and bands, in dB (over all
/// bands). 40 dB and up: visually identical; about 20 dB: clearly different content. Identical
/// images give +infinity.
public func psnr(_ a: VipsImage, _ b: VipsImage) throws -> Double {
  guard a.width == b.width, a.height == b.height, a.bands == b.bands else {
    throw VipsError(
      operation: "psnr",
      message:
        "sizes differ: \(a.width)x\(a.height)x\(a.bands) vs \(b.width)x\(b.height)x\(b.bands)")
  }
  let difference = try a - b
  let meanSquaredError = try (difference * difference).average()
  guard meanSquaredError > 0 else { return .infinity }
  return 10 * log10(255 * 255 / meanSquaredError)
}

/// Reference renders made the plain way (full decode, crop, then one Lanczos3 resize), to compare
/// the thumbnailer's shortcuts against.
public enum Reference {
  /// Decodes `data` fully (EXIF orientation applied), crops `region` and resizes it to exactly
  /// `width`×`height`, in memory.
  public static func cropThenResize(
    _ data: Data, region: PixelRect, width: Int, height: Int
  ) throws -> VipsImage {
    let upright = try VipsImage(buffer: data).materialized().autorotated()
    return try cropThenResize(upright, region: region, width: width, height: height)
  }

  /// Crops `region` out of `image` and resizes it to exactly `width`×`height`.
  public static func cropThenResize(
    _ image: VipsImage, region: PixelRect, width: Int, height: Int
  ) throws -> VipsImage {
    let resized = try image.extractArea(
      x: region.x, y: region.y, width: region.width, height: region.height
    ).resized(
      hscale: Double(width) / Double(region.width), vscale: Double(height) / Double(region.height))
    guard resized.width != width || resized.height != height else {
      return try resized.materialized()
    }
    return try resized.extractArea(x: 0, y: 0, width: width, height: height).materialized()
  }

  /// Decodes encoded bytes fully into memory.
  public static func decode(_ data: Data) throws -> VipsImage {
    try VipsImage(buffer: data).materialized()
  }
}
