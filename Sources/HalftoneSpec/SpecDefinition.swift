/// What an image URL (plus the size its record declares) asks for, independent of any source:
/// the crop, the output size, the format and quality, and where the master image lives.
///
/// Build one with `parse(url:declaredWidth:declaredHeight:)` or `parse(query:dialect:…)`, then
/// `plan(for:)` it against a source's `ImageProbe` to get the concrete `ThumbnailPlan`.
/// `canonicalKey` names the thumbnail in the store.
public struct ThumbnailSpec: Sendable, Hashable {
  public var dialect: Dialect
  /// The URL as written (empty for a bare query).
  public var imageURL: String
  /// What to fetch and transform locally: the query-less URL for Fastly and imgix, the inner URL
  /// for Photon (`https://i0.wp.com/host/path` → `https://host/path`) and thumbor, `imageURL`
  /// for `.none` (empty for a bare query).
  public var masterURL: String
  /// Further masters, tried in order after `masterURL` answers 4xx and before the URL as written
  /// (The New York Times: `-superJumbo`, then `-jumbo`; a `--url-rules` rewrite's later
  /// candidates).
  public var fallbackMasterURLs: [String]
  /// The output format; `nil` derives it from the source: JPEG for opaque sources, PNG for sources
  /// with alpha, WebP and AVIF sources keep their format.
  public var format: OutputFormat?
  /// Progressive JPEG (Fastly/imgix `pjpg`). Ignored for other formats.
  public var progressive: Bool
  /// Formats to offer a client that accepts them, in order of preference (Fastly `auto=webp`,
  /// imgix `auto=format` → `[.avif, .webp]`). Resolved by `negotiated(accepting:)`; `plan(for:)`
  /// ignores them.
  public var autoFormats: [OutputFormat]
  /// 1–100; `nil` uses the dialect's default (`Dialect.defaultQuality`: Fastly 85, imgix 75,
  /// Photon 90, thumbor 80, none 85), resolved in the plan.
  public var quality: Int?
  /// The quality for WebP output when it differs (Fastly `quality=Q,Qwebp`).
  public var webpQuality: Int?
  /// How EXIF orientation is handled. `ImageProbe` sizes given to `plan(for:)` must be display
  /// sizes under this rule.
  public var orientation: OrientationRule
  /// The size the record declares, which wins over the URL's size (see `SizeRules`).
  public internal(set) var declaredWidth: Int?
  public internal(set) var declaredHeight: Int?
  /// Unknown or ignored parameters and values read differently from the CDN, one line each.
  public var warnings: [String]

  /// Applied first; `crop` then refers to the precropped image.
  var precrop: CropRequest?
  var crop: CropRequest?
  /// The URL parameter `crop` came from (`rect` for imgix), for error messages.
  var cropParameter: String { dialect == .imgix ? "rect" : "crop" }
  /// The size the URL asks for, `dpr` already applied. Declared sizes override it.
  var urlSize: OutputSizeRequest
  /// Where a region is cut when the output's aspect ratio differs from it.
  var anchor: FillAnchor
  /// Enlarge when the output is larger than the region (off unless the URL enables it).
  var upscale: Bool

  init(dialect: Dialect, imageURL: String = "", masterURL: String = "") {
    self.dialect = dialect
    self.imageURL = imageURL
    self.masterURL = masterURL
    fallbackMasterURLs = []
    format = nil
    progressive = false
    autoFormats = []
    quality = nil
    webpQuality = nil
    orientation = .exif
    declaredWidth = nil
    declaredHeight = nil
    warnings = []
    precrop = nil
    crop = nil
    urlSize = .natural
    anchor = .centre
    upscale = false
  }

  /// The size instruction in force: both declared sizes → exactly that box (cut, never distorted);
  /// one declared size → that side alone; otherwise the URL's.
  var outputSizeRequest: OutputSizeRequest {
    switch (declaredWidth, declaredHeight) {
    case (let width?, let height?): .box(width: .pixels(width), height: .pixels(height), fit: .crop)
    case (let width?, nil): .width(.pixels(width))
    case (nil, let height?): .height(.pixels(height))
    case (nil, nil): urlSize
    }
  }

  /// Records the declared size after checking it like a URL size (1–8192 px).
  mutating func setDeclaredSize(width: Int?, height: Int?) throws(SpecError) {
    for (name, value) in [("declared width", width), ("declared height", height)] {
      guard let value else { continue }
      guard (1...Limits.maxOutputSide).contains(value) else {
        throw .invalidSpec(name, String(value), "must be 1–\(Limits.maxOutputSide) pixels")
      }
    }
    declaredWidth = width
    declaredHeight = height
  }
}
