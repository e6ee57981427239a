/// Which dialect a URL is written in, from its host and shape. The first rule that matches wins:
///
/// 1. Host `*.imgix.net` → imgix.
/// 2. Host `i0.wp.com`, `i1.wp.com`, `i2.wp.com` (any `i<N>.wp.com`) → Photon, master inside the
///    path; host `*.files.wordpress.com` → Photon, master = the query-less URL.
/// 3. Host `*.gannett-cdn.com` or `i.guim.co.uk` → Fastly.
/// 4. Path starting `/unsafe/` or `/<28-character thumbor signature>/` → thumbor.
/// 5. A rendition's host and path shape (`RenditionRules`: Wikimedia thumbs, X/Twitter, Imgur,
///    Google user content, WordPress `wp-content/uploads` renditions) → rendition.
/// 6. Any other host whose query has `ixlib` (the stamp of imgix's client libraries, for imgix
///    behind a custom domain) → imgix.
/// 7. Any other host whose query uses a Fastly parameter name (`crop`, `precrop`, `width`,
///    `height`, `quality`, `format`, `fit`, `dpr`, `auto`, `orient`, `enable`, `disable`, `trim`,
///    `pad`, `canvas`, `bg-color`, `optimize`, `resize-filter`) → Fastly.
/// 8. Otherwise → none: the query is not read (a warning says so) and the master is the URL as
///    written.
enum DialectDetection {
  static func dialect(of url: ImageURL) -> Dialect {
    let host = url.host
    if host.hasSuffix(".imgix.net") { return .imgix }
    if isPhotonHost(host) || host.hasSuffix(".files.wordpress.com") { return .photon }
    if host.hasSuffix(".gannett-cdn.com") || host == "i.guim.co.uk" { return .fastly }
    if ThumborDialect.looksLikeThumbor(path: url.path) { return .thumbor }
    if RenditionRules.master(of: url) != nil { return .rendition }
    let names = Set(QueryString.parameters(Substring(url.query ?? "")).map(\.name))
    if names.contains("ixlib") { return .imgix }
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
