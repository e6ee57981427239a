@_exported import HalftoneCore

/// Output encodings Halftone writes.
public enum OutputFormat: String, Sendable, Codable, CaseIterable, Hashable {
  case jpeg, png, webp, avif
}

/// What the spec needs to know about a source image to turn into a concrete plan.
/// Width and height are in display orientation (after EXIF orientation is applied).
public struct ImageProbe: Sendable, Hashable {
  public var width: Int
  public var height: Int
  public var format: ImageFormat
  public var hasAlpha: Bool
  public init(width: Int, height: Int, format: ImageFormat, hasAlpha: Bool) {
    self.width = width
    self.height = height
    self.format = format
    self.hasAlpha = hasAlpha
  }
}

/// A rectangle in source pixels, display orientation, origin top-left.
public struct PixelRect: Sendable, Hashable, Codable, CustomStringConvertible {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }
  public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// How the final region is chosen when the region's aspect ratio differs from the output's.
public enum Gravity: String, Sendable, Hashable, Codable {
  /// The plan's region already has the output aspect ratio (centred fill was applied by the spec).
  case centre
  /// Content-aware: resize the region to cover the output size, then crop by interest (libvips
  /// `smartcrop` with attention).
  case attention
}

/// Orientation handling: apply the EXIF tag (the default, as Fastly does) or force one of the eight
/// EXIF orientations regardless of the tag.
public enum OrientationRule: Sendable, Hashable, Codable {
  case exif
  case fixed(Int)
}

/// A concrete, source-specific instruction for the imaging stage: crop `region`, resize to exactly
/// `width`×`height`, encode.
public struct ThumbnailPlan: Sendable, Hashable {
  /// Region of the display-oriented source to keep.
  public var region: PixelRect
  /// Exact output width in pixels.
  public var width: Int
  /// Exact output height in pixels.
  public var height: Int
  public var gravity: Gravity
  public var format: OutputFormat
  /// 1–100.
  public var quality: Int
  /// Progressive (interlaced) output; JPEG only.
  public var progressive: Bool
  public var orientation: OrientationRule

  public init(
    region: PixelRect, width: Int, height: Int, gravity: Gravity = .centre,
    format: OutputFormat, quality: Int, progressive: Bool = false,
    orientation: OrientationRule = .exif
  ) {
    self.region = region
    self.width = width
    self.height = height
    self.gravity = gravity
    self.format = format
    self.quality = quality
    self.progressive = progressive
    self.orientation = orientation
  }
}
