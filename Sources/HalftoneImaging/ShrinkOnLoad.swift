import HalftoneSpec

/// How a source is opened for a given crop and output size: decoding at reduced size when the
/// format can (JPEG DCT scaling, libwebp's scaler) is most of the speed of a thumbnailer.
struct ShrinkOnLoad: Equatable, Sendable {
  /// JPEG `shrink` (1, 2, 4 or 8): the decoded image is ceil(stored / shrink).
  var jpegShrink = 1
  /// WebP `scale` (≤ 1): the decoded image is round(stored × scale).
  var webpScale: Double?
  /// Whether the decode is opened for random access instead of sequential (see `choose`).
  var randomAccess = false

  /// GIFs taller than this are opened for random access. libvips 8.14's GIF loader under
  /// sequential access caches the frame in one-line tiles and drops them one by one in quadratic
  /// time at the end of a render: some heights near 50,000 lines took 3 s of CPU for a one-pixel
  /// thumbnail (found by the `image` fuzz target). The GIF decoder holds the whole frame in memory
  /// either way, so random access loses no streaming; it is kept for tall GIFs only because it is
  /// slower on ordinary ones.
  static let sequentialGIFHeightLimit = 8_192

  /// libvips loader options. `fail_on=error` makes truncated and damaged data an error instead of
  /// grey rows (thumbnail_buffer ignores it for JPEG on 8.14, so Halftone loads by itself);
  /// sequential access lets libvips stream the decode top to bottom.
  var loaderOptions: String {
    var options = "fail_on=error,access=" + (randomAccess ? "random" : "sequential")
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
  ///
  /// `storedHeight` is the source's height as stored (before orientation).
  static func choose(
    format: ImageFormat, region: PixelRect, targetWidth: Int, targetHeight: Int,
    storedHeight: Int
  ) -> ShrinkOnLoad {
    let ratio = min(
      Double(region.width) / Double(targetWidth), Double(region.height) / Double(targetHeight))
    switch format {
    case .jpeg:
      let shrink = [8, 4, 2].first { Double($0) <= ratio / 2 } ?? 1
      return ShrinkOnLoad(jpegShrink: shrink)
    case .webp where ratio > 1:
      return ShrinkOnLoad(webpScale: 1 / ratio)
    case .gif where storedHeight > sequentialGIFHeightLimit:
      return ShrinkOnLoad(randomAccess: true)
    default:
      return ShrinkOnLoad()
    }
  }
}
