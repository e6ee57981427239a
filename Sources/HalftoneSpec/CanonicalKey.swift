extension ThumbnailSpec {
  /// Names the thumbnail this spec produces from a given original; the store keys thumbnails by
  /// (original digest, canonical key). Built from the normalised model, never the raw query, so it
  /// is equal for equivalent inputs (parameter order, `%2C` vs `,`, explicit defaults such as
  /// Fastly `quality=85`, imgix `fit=clip`, `dpr=1`, `disable=upscale`, `offset-x50`, the same crop
  /// written in another dialect) and different for anything that changes the output (crop, size,
  /// fit, fill anchor, enlargement, format, progressive, quality, orientation, declared size,
  /// negotiated format). The master URL is not part of it.
  ///
  /// Example: `v1|crop=px3104,px2328@px175,px0|size=w:px640|fmt=src|q=50`.
  public var canonicalKey: String {
    var parts = ["v1"]
    if let precrop { parts.append("precrop=\(precrop.keyText)") }
    if let crop { parts.append("crop=\(crop.keyText)") }
    let size = outputSizeRequest
    parts.append("size=\(size.keyText)")
    if size.fills, anchor != .centre { parts.append("anchor=\(anchor.keyText)") }
    if upscale, !enlargementIsImpossible { parts.append("upscale") }
    parts.append("fmt=\(format?.rawValue ?? "src")")
    if progressive, format == nil || format == .jpeg { parts.append("progressive") }
    if !autoFormats.isEmpty {
      parts.append("auto=\(autoFormats.map(\.rawValue).joined(separator: ","))")
    }
    parts += qualityKeyParts
    if case .fixed(let number) = orientation { parts.append("orient=\(number)") }
    return parts.joined(separator: "|")
  }

  /// Quality matters unless the output is surely PNG; WebP's own quality only when WebP may be
  /// written and it differs.
  private var qualityKeyParts: [String] {
    let base = quality ?? dialect.defaultQuality
    if format == .png, autoFormats.isEmpty { return [] }
    if format == .webp, autoFormats.isEmpty { return ["q=\(webpQuality ?? base)"] }
    var parts = ["q=\(base)"]
    let webpPossible = format == nil || autoFormats.contains(.webp)
    if let webpQuality, webpPossible, webpQuality != base { parts.append("qwebp=\(webpQuality)") }
    return parts
  }

  /// True when the region's size is known in pixels without a source and the requested output is
  /// no larger, so enabling enlargement cannot change the output.
  private var enlargementIsImpossible: Bool {
    let request = outputSizeRequest
    if request == .natural { return true }
    guard let region = crop?.knownPixelSize ?? (crop == nil ? precrop?.knownPixelSize : nil) else {
      return false
    }
    switch request {
    case .natural: return true
    case .width(.pixels(let width)): return width <= region.width
    case .height(.pixels(let height)): return height <= region.height
    case .box(.pixels(let width), .pixels(let height), _):
      return width <= region.width && height <= region.height
    default: return false
    }
  }
}
