import HalftoneSpec

/// How a source is opened for a given crop and output size: decoding at reduced size when the
/// format can (JPEG DCT scaling, libwebp's scaler) is most of the speed of a thumbnailer.
struct ShrinkOnLoad: Equatable, Sendable {
  /// JPEG `shrink` (1, 2, 4 or 8): the decoded image is ceil(stored / shrink).
  var jpegShrink = 1
  /// WebP `scale` (≤ 1): the decoded image is round(stored × scale).
  var webpScale: Double?

  /// libvips loader options. `fail_on=error` makes truncated and damaged data an error instead of
  /// grey rows (thumbnail_buffer ignores it for JPEG on 8.14, so Halftone loads by itself);
  /// sequential access lets libvips stream the decode top to bottom.
  var loaderOptions: String {
    var options = "fail_on=error,access=sequential"
    if jpegShrink > 1 { options += ",shrink=\(jpegShrink)" }
    if let webpScale { options += ",scale=\(webpScale)" }
    return options
  }

  /// Chooses the reduction for cropping `region` (stored pixels) and resizing it to
  /// `targetWidth`×`targetHeight` (stored orientation). Like libvips' thumbnail.c it keeps at least
  /// a factor of two for the final Lanczos3 resize, which is what keeps aliasing out.
  static func choose(
    format: SourceFormat, region: PixelRect, targetWidth: Int, targetHeight: Int
  ) -> ShrinkOnLoad {
    let ratio = min(
      Double(region.width) / Double(targetWidth), Double(region.height) / Double(targetHeight))
    switch format {
    case .jpeg:
      let shrink = [8, 4, 2].first { Double($0) <= ratio / 2 } ?? 1
      return ShrinkOnLoad(jpegShrink: shrink)
    case .webp where ratio > 2:
      return ShrinkOnLoad(webpScale: 2 / ratio)
    default:
      return ShrinkOnLoad()
    }
  }
}
