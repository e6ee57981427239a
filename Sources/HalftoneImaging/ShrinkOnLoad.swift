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
  /// `targetWidth`×`targetHeight` (stored orientation). JPEG keeps at least a factor of two for the
  /// final Lanczos3 resize, as libvips' thumbnail.c does: DCT scaling is a crude filter and the
  /// resize is what keeps aliasing out. WebP decodes at the target scale, as thumbnail.c does too:
  /// libwebp's scaler averages areas, so it filters as well as the resize would (measured on a
  /// 2048 px photo: 47.6 dB vs 47.4 dB with 2× headroom against a full crop-then-resize), and the
  /// headroom made the Lanczos3 resize 4× the pixels (2× the instructions of the whole render).
  static func choose(
    format: ImageFormat, region: PixelRect, targetWidth: Int, targetHeight: Int
  ) -> ShrinkOnLoad {
    let ratio = min(
      Double(region.width) / Double(targetWidth), Double(region.height) / Double(targetHeight))
    switch format {
    case .jpeg:
      let shrink = [8, 4, 2].first { Double($0) <= ratio / 2 } ?? 1
      return ShrinkOnLoad(jpegShrink: shrink)
    case .webp where ratio > 1:
      return ShrinkOnLoad(webpScale: 1 / ratio)
    default:
      return ShrinkOnLoad()
    }
  }
}
