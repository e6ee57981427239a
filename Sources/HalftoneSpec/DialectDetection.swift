/// Which dialect a URL is written in, from its host and shape. The first rule that matches wins:
///
/// 1. Host `*.imgix.net` → imgix.
/// 2. Host `i0.wp.com`, `i1.wp.com`, `i2.wp.com` (any `i<N>.wp.com`) → Photon, master inside the
///    path; host `*.files.wordpress.com` → Photon, master = the query-less URL.
/// 3. Host `*.gannett-cdn.com` → Fastly; host `i.guim.co.uk` → guardian.
/// 4. Host `res.cloudinary.com` (also `<cloud>-res.cloudinary.com`) with an `image/upload` or
///    `image/fetch` path, or `substackcdn.com/image/fetch/…` → cloudinary.
/// 5. Host `cdn.sanity.io` with an `/images/` path → sanity; `images.ctfassets.net` (also
///    `images.eu.ctfassets.net`, `images.contentful.com`) → contentful; `ik.imagekit.io` →
///    imagekit; `s.yimg.com` with an `/ny/api/res/1.2/` or `/uu/api/res/1.2/` path → yahoo.
/// 6. On any host, by path: `/cdn-cgi/image/<options>/<source>` → cloudflare;
///    `/_next/image?url=…` → nextjs; `/dims4/…?url=…` or `/dims3/…?url=…` → brightspot;
///    `/resizer/v2/…` → arc.
/// 7. A path whose first segment is `unsafe` or a 28-character thumbor signature, or whose second
///    or third is and is followed by a thumbor option (Vox Media's `/thumbor/<sig>/…`, Arc XP's
///    resizer v1 `/resizer/<sig>/…`) → thumbor.
/// 8. A `wp-content/uploads` path whose query uses only Photon parameter names (WordPress VIP)
///    → Photon, master = the query-less URL.
/// 9. A rendition's host and path shape (`RenditionRules`: Wikimedia thumbs, The New York Times,
///    X/Twitter, Imgur, Google user content, WordPress `wp-content/uploads` renditions) →
///    rendition.
/// 10. Any other host whose query has `ixlib` (the stamp of imgix's client libraries, for imgix
///    behind a custom domain) → imgix.
/// 11. Any other host whose query has `imwidth` or `im` → akamai.
/// 12. Any other host whose query uses a Fastly parameter name (`crop`, `precrop`, `width`,
///    `height`, `quality`, `format`, `fit`, `dpr`, `auto`, `orient`, `enable`, `disable`, `trim`,
///    `pad`, `canvas`, `bg-color`, `optimize`, `resize-filter`) → Fastly.
/// 13. Otherwise → none: the query is not read (a warning says so) and the master is the URL as
///    written.
enum DialectDetection {
  static func dialect(of url: ImageURL) -> Dialect {
    let host = url.host
    if host.hasSuffix(".imgix.net") { return .imgix }
    if isPhotonHost(host) || host.hasSuffix(".files.wordpress.com") { return .photon }
    if host.hasSuffix(".gannett-cdn.com") { return .fastly }
    if GuardianDialect.matches(url) { return .guardian }
    if CloudinaryDialect.delivery(of: url) != nil { return .cloudinary }
    if host == "cdn.sanity.io", url.path.hasPrefix("/images/") { return .sanity }
    if ContentfulDialect.matches(url) { return .contentful }
    if ImageKitDialect.matches(url) { return .imagekit }
    if YahooDialect.matches(url) { return .yahoo }
    if CloudflareDialect.matches(url) { return .cloudflare }
    if NextImageDialect.matches(url) { return .nextjs }
    if BrightspotDialect.matches(url) { return .brightspot }
    if ArcResizerDialect.matches(url) { return .arc }
    if ThumborDialect.looksLikeThumbor(path: url.path) { return .thumbor }
    let names = Set(QueryString.parameters(Substring(url.query ?? "")).map(\.name))
    if url.path.containsBytes("/wp-content/uploads/"), !names.isEmpty,
      names.isSubset(of: PhotonDialect.parameterNames)
    {
      return .photon
    }
    if RenditionRules.masters(of: url) != nil { return .rendition }
    if names.contains("ixlib") { return .imgix }
    if AkamaiDialect.matches(names) { return .akamai }
    if !names.isDisjoint(with: FastlyDialect.parameterNames) { return .fastly }
    return .none
  }

  /// `i0.wp.com`, `i1.wp.com`… (Photon's hosts, with the image's host in the path).
  static func isPhotonHost(_ host: String) -> Bool {
    guard host.hasPrefix("i"), host.hasSuffix(".wp.com") else { return false }
    let digits = host.dropFirst().dropLast(".wp.com".count)
    return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
  }
}
