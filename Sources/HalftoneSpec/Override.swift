extension ThumbnailSpec {
  /// Applies command-line overrides, whatever the dialect, validated like URL parameters.
  /// A width or height replaces the declared size with this pair (a `nil` side is then free and
  /// keeps the region's aspect ratio); a format replaces `format` and drops `autoFormats` (and
  /// `progressive` unless JPEG); a quality replaces `quality` and the WebP quality.
  public mutating func override(
    width: Int?, height: Int?, format: OutputFormat?, quality: Int?
  ) throws(SpecError) {
    if width != nil || height != nil {
      for (name, value) in [("width", width), ("height", height)] {
        guard let value else { continue }
        guard (1...Limits.maxOutputSide).contains(value) else {
          throw .invalidSpec(name, String(value), "must be 1–\(Limits.maxOutputSide) pixels")
        }
      }
    }
    if let quality, !Limits.quality.contains(quality) {
      throw .invalidSpec("quality", String(quality), "expected a whole number from 1 to 100")
    }
    if width != nil || height != nil {
      declaredWidth = width
      declaredHeight = height
    }
    if let format {
      self.format = format
      autoFormats = []
      if format != .jpeg { progressive = false }
    }
    if let quality {
      self.quality = quality
      webpQuality = nil
    }
  }
}
