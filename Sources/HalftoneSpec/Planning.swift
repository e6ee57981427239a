extension ThumbnailSpec {
  /// The concrete instruction for `source`: region, exact output size, gravity, format, quality,
  /// following `SizeRules`. `source` sizes are display sizes under `orientation`.
  /// Throws `crop_out_of_bounds` when a crop does not fit the source, `invalid_spec` when a share
  /// resolves outside 1–8192 px or a property was set out of range.
  public func plan(for source: ImageProbe) throws(SpecError) -> ThumbnailPlan {
    guard source.width > 0, source.height > 0 else {
      throw SpecError(
        kind: .internal, message: "source size \(source.width)x\(source.height) has no pixels")
    }
    let whole = PixelRect(x: 0, y: 0, width: source.width, height: source.height)
    let base = try precrop?.region(in: whole, parameter: "precrop", dialect: dialect) ?? whole
    let region = try crop?.region(in: base, parameter: cropParameter, dialect: dialect) ?? base
    let geometry = try SizeRules.geometry(
      region: region, request: outputSizeRequest, anchor: anchor,
      smartBase: crop?.smart == true ? base : nil, upscale: upscale)
    let format = outputFormat(for: source)
    return ThumbnailPlan(
      region: geometry.region, width: geometry.width, height: geometry.height,
      gravity: geometry.gravity, format: format, quality: try outputQuality(for: format),
      progressive: progressive && format == .jpeg, orientation: orientation)
  }

  /// The output size `plan(for:)` produces for `source`, for callers that must recognise an image
  /// the CDN already transformed.
  public func expectedOutputSize(for source: ImageProbe) throws(SpecError) -> (
    width: Int, height: Int
  ) {
    let plan = try plan(for: source)
    return (plan.width, plan.height)
  }

  /// `format`, or from the source: WebP and AVIF keep their format, others become PNG with alpha
  /// and JPEG without.
  public func outputFormat(for source: ImageProbe) -> OutputFormat {
    if let format { return format }
    switch source.format {
    case .webp: return .webp
    case .avif: return .avif
    default: return source.hasAlpha ? .png : .jpeg
    }
  }

  /// `quality` (or `webpQuality` for WebP), else the dialect's default; checked 1–100.
  func outputQuality(for format: OutputFormat) throws(SpecError) -> Int {
    let quality = (format == .webp ? webpQuality : nil) ?? quality ?? dialect.defaultQuality
    guard Limits.quality.contains(quality) else {
      throw .invalidSpec("quality", String(quality), "expected a whole number from 1 to 100")
    }
    return quality
  }
}
