/// The image-CDN URL language a spec was read in.
///
/// Each dialect's reader names its documentation page and its choices where Halftone cannot do
/// what the vendor does (padding, distortion, overlays): those are read approximately or ignored,
/// always with a warning.
public enum Dialect: String, Sendable, Codable, CaseIterable {
  /// Fastly Image Optimizer (`crop`, `width`, `quality`…): Gannett, and the default for bare
  /// `--spec` queries and for unknown hosts whose query uses Fastly parameter names.
  case fastly
  /// imgix (`rect`, `w`, `h`, `fit`, `q`, `fm`, `auto`…).
  case imgix
  /// WordPress Photon / Jetpack (`i0.wp.com/<host>/<path>?resize=…`), and Photon parameters on a
  /// WordPress site's own uploads (WordPress VIP).
  case photon
  /// thumbor paths (`/unsafe/AxB:CxD/fit-in/WxH/smart/filters:…/<image url>`), also behind a
  /// prefix (Vox Media's `/thumbor/<signature>/…`, Arc XP's resizer v1 `/resizer/<signature>/…`).
  case thumbor
  /// Cloudinary (`res.cloudinary.com/<cloud>/image/upload/<transformations>/<public id>`, and
  /// `image/fetch/…/<remote URL>`, also Substack's `substackcdn.com/image/fetch/…`).
  case cloudinary
  /// Cloudflare Images (`/cdn-cgi/image/<options>/<source>` on any host).
  case cloudflare
  /// The Next.js image optimizer (`/_next/image?url=…&w=…&q=…` on any host).
  case nextjs
  /// Brightspot's dims service (`/dims4/…/crop/WxH+X+Y/resize/WxH/…?url=<master>`, and `dims3`).
  case brightspot
  /// Arc XP's resizer v2 (`/resizer/v2/<id>.<ext>?auth=…&width=…&focal=x,y`): the master is not
  /// derivable, so the URL is fetched as written.
  case arc
  /// The Guardian (`i.guim.co.uk/img/media/<id>/<crop>/master/<W>.jpg?width=…`): a crop asset
  /// whose master lives at `media.guim.co.uk`; the query is Fastly's.
  case guardian
  /// Sanity (`cdn.sanity.io/images/…?rect=…&w=…&fit=…`): imgix's grammar.
  case sanity
  /// Contentful (`images.ctfassets.net/…?w=…&h=…&fit=…&f=…`).
  case contentful
  /// Akamai Image Manager (`?imwidth=…`, `?im=Resize,width=…;Crop,rect=(…)` on any host).
  case akamai
  /// ImageKit (`ik.imagekit.io/<id>/tr:w-…,h-…/<path>` and `?tr=…`).
  case imagekit
  /// Yahoo's image proxy (`s.yimg.com/ny/api/res/1.2/<signature>/<base64 options>/<master URL>`).
  case yahoo
  /// A resized copy whose master is a rewrite of its URL (Wikimedia thumbs, WordPress uploads,
  /// The New York Times, X/Twitter, Imgur, Google user content: `RenditionRules`); the declared
  /// size is the only instruction, as for `none`.
  case rendition
  /// No CDN recognised: the declared size (if any) is the only instruction.
  case none

  /// The quality used when the URL gives none: each service's documented default (where a
  /// service documents none, 85 as for Fastly; Photon's 90 is our pick).
  public var defaultQuality: Int {
    switch self {
    case .fastly, .guardian: 85
    case .imgix, .sanity, .nextjs: 75
    case .photon: 90
    case .thumbor, .cloudinary: 80
    case .cloudflare: 85
    case .imagekit: 80
    case .contentful, .akamai, .brightspot, .arc, .yahoo: 85
    case .rendition, .none: 85
    }
  }
}
