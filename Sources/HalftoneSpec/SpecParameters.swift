/// A spec's parameters as text, for `halftone explain` and other reports: what the URL and the
/// record ask for before any source is known. Each field uses the canonical key's notation
/// (`px3104,px2328@px175,px0` is a crop of 3104×2328 pixels at 175,0; `pct50` is half the image;
/// `box:px640xpx480,crop` a 640×480 box filled and cut).
public struct SpecParameters: Sendable, Hashable, Codable {
  /// Cut first (a Cloudinary chain's first crop); `crop` then refers to what it left.
  public var precrop: String?
  public var crop: String?
  /// The output size in force (declared sizes win over the URL's).
  public var size: String
  /// The size the URL alone asks for.
  public var urlSize: String
  /// Where a region is cut when its aspect ratio differs from the output's.
  public var anchor: String
  public var upscale: Bool
  /// `nil`: from the source (JPEG, or PNG with alpha; WebP and AVIF keep theirs).
  public var format: OutputFormat?
  public var autoFormats: [OutputFormat]
  /// The quality in force (the dialect's default when the URL names none).
  public var quality: Int
  public var declaredWidth: Int?
  public var declaredHeight: Int?

  enum CodingKeys: String, CodingKey {
    case precrop, crop, size
    case urlSize = "url_size"
    case anchor, upscale, format
    case autoFormats = "auto_formats"
    case quality
    case declaredWidth = "declared_width"
    case declaredHeight = "declared_height"
  }
}

extension ThumbnailSpec {
  /// What this spec asks for, in text.
  public var parameters: SpecParameters {
    SpecParameters(
      precrop: precrop?.keyText, crop: crop?.keyText, size: outputSizeRequest.keyText,
      urlSize: urlSize.keyText, anchor: anchor.keyText, upscale: upscale, format: format,
      autoFormats: autoFormats, quality: quality ?? dialect.defaultQuality,
      declaredWidth: declaredWidth, declaredHeight: declaredHeight)
  }
}
