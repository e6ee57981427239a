import HalftoneSpec

/// Builds `/thumbnails` links, signed when keys are given (what `halftone sign` prints).
public enum ThumbnailLink {
  /// `/thumbnails?<canonical query>[&sig=…]` for an image reference. The query is already in
  /// canonical form, so the server recomputes exactly the text that was signed.
  ///
  /// Throws the spec's error (`invalid_url`, `unsupported_scheme`, `invalid_spec`) when the
  /// server would refuse the link, so a bad link fails when it is made, not when it is used.
  public static func path(
    url: String, width: Int? = nil, height: Int? = nil, format: OutputFormat? = nil,
    keys: SigningKeys
  ) throws(SpecError) -> String {
    var spec = try ThumbnailSpec.parse(url: url, declaredWidth: width, declaredHeight: height)
    if let format { try spec.override(width: nil, height: nil, format: format, quality: nil) }
    let query = ThumbnailQuery(url: url, width: width, height: height, format: format)
    return "/thumbnails?" + keys.signedQuery(query.items)
  }

  /// The absolute link on `base` (`http://host:port`, a trailing `/` allowed).
  public static func absolute(base: String, path: String) -> String {
    var base = base
    while base.hasSuffix("/") { base.removeLast() }
    return base + path
  }

  /// Reads a `format` value as `/thumbnails` does: jpeg (jpg), png, webp, avif.
  public static func format(named name: String) -> OutputFormat? {
    try? ThumbnailQuery.format(name)
  }
}
