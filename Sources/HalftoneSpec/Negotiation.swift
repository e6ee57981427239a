extension ThumbnailSpec {
  /// Resolves `autoFormats` against the formats a client accepts: the first auto format the client
  /// accepts becomes `format` (dropping `progressive` unless it is JPEG); with none accepted
  /// `format` is unchanged. `autoFormats` is emptied either way, so the canonical key names the
  /// negotiated output.
  public func negotiated(accepting accepted: Set<OutputFormat>) -> ThumbnailSpec {
    var spec = self
    if let chosen = autoFormats.first(where: accepted.contains) {
      spec.format = chosen
      if chosen != .jpeg { spec.progressive = false }
    }
    spec.autoFormats = []
    return spec
  }
}

extension OutputFormat {
  /// The formats an HTTP `Accept` header names explicitly with a non-zero q (`image/avif`,
  /// `image/webp`, `image/jpeg`, `image/png`). Wildcards add only JPEG and PNG: like Fastly, AVIF
  /// and WebP are sent only to clients that name them.
  public static func accepted(byAcceptHeader header: String) -> Set<OutputFormat> {
    var formats: Set<OutputFormat> = []
    for item in header.split(separator: ",") {
      let fields = item.split(separator: ";").map { String($0).trimmingSpaces.lowercased() }
      guard let mediaType = fields.first else { continue }
      let refused = fields.dropFirst().contains { field in
        guard field.hasPrefix("q=") else { return false }
        return (FixedPoint.parse(field.dropFirst(2)) ?? 1) == 0
      }
      if refused { continue }
      switch mediaType {
      case "image/avif": formats.insert(.avif)
      case "image/webp": formats.insert(.webp)
      case "image/jpeg", "image/jpg": formats.insert(.jpeg)
      case "image/png": formats.insert(.png)
      case "image/*", "*/*": formats.formUnion([.jpeg, .png])
      default: break
      }
    }
    return formats
  }
}
