/// The image-CDN URL language a spec was read in.
public enum Dialect: String, Sendable, Codable {
  /// Fastly Image Optimizer (`crop`, `width`, `quality`…): Gannett, the Guardian, and the default
  /// for bare `--spec` queries and for unknown hosts whose query uses Fastly parameter names.
  case fastly
  /// imgix (`rect`, `w`, `h`, `fit`, `q`, `fm`, `auto`…).
  case imgix
  /// WordPress Photon / Jetpack (`i0.wp.com/<host>/<path>?resize=…`).
  case photon
  /// thumbor paths (`/unsafe/AxB:CxD/fit-in/WxH/smart/filters:…/<image url>`).
  case thumbor
  /// A resized copy whose master is a rewrite of its URL (Wikimedia thumbs, WordPress uploads,
  /// X/Twitter, Imgur, Google user content: `RenditionRules`); the declared size is the only
  /// instruction, as for `none`.
  case rendition
  /// No CDN recognised: the declared size (if any) is the only instruction.
  case none

  /// The quality used when the URL gives none: each service's documented default (Photon's is not
  /// documented; 90 is our pick, as for unknown hosts 85 matches Fastly).
  public var defaultQuality: Int {
    switch self {
    case .fastly: 85
    case .imgix: 75
    case .photon: 90
    case .thumbor: 80
    case .rendition, .none: 85
    }
  }
}
