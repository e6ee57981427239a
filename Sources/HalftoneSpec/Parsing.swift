extension ThumbnailSpec {
  /// Reads an image URL in the dialect its host and shape say (see `DialectDetection`), with the
  /// size its record declares (which wins, see `SizeRules`).
  ///
  /// Throws `invalid_url` for empty or malformed URLs, `unsupported_scheme` for anything but http
  /// and https, `invalid_spec` for a bad parameter value or declared size. Unknown parameters are
  /// not errors: each adds a line to `warnings`.
  ///
  /// `rules` (`--url-rules`) come first: a host mapped to a dialect is read in it whatever its
  /// host; a matching rewrite gives the masters (dialect `rendition`).
  public static func parse(
    url: String, declaredWidth: Int? = nil, declaredHeight: Int? = nil, rules: URLRules = .none
  ) throws(SpecError) -> ThumbnailSpec {
    let parsed = try ImageURL.parse(url)
    var dialect: Dialect
    var anyHost = false
    var rewritten: [String]?
    if let (rule, masters) = rules.match(parsed, text: url) {
      switch rule.action {
      case .dialect(let forced):
        (dialect, anyHost) = (forced, true)
      case .rewrite:
        dialect = .rendition
        rewritten = try masters?.map { master throws(SpecError) in
          try EmbeddedURL.resolve(
            master, base: parsed, parameter: "rewrite of the rule on line \(rule.line)",
            original: url)
        }
      }
    } else {
      dialect = DialectDetection.dialect(of: parsed)
    }
    var spec = ThumbnailSpec(dialect: dialect, imageURL: url, masterURL: parsed.withoutQuery)
    let query = Substring(parsed.query ?? "")
    if let rewritten {
      spec.masterURL = rewritten[0]
      spec.fallbackMasterURLs = Array(rewritten.dropFirst())
      try spec.setDeclaredSize(width: declaredWidth, height: declaredHeight)
      return spec
    }
    switch dialect {
    case .fastly, .imgix:
      try spec.read(query: query)
    case .photon:
      if DialectDetection.isPhotonHost(parsed.host) {
        spec.masterURL = try PhotonDialect.masterURL(of: parsed, original: url)
      }
      if PhotonDialect.ownsQuery(String(query)) {
        try spec.read(query: query)
        // WordPress VIP: Photon on the site's own upload; a rendition's master first when no
        // crop refers to the rendition's pixels.
        if spec.crop == nil, let masters = RenditionRules.masters(of: parsed)?.masters {
          spec.masterURL = masters[0]
          spec.fallbackMasterURLs = Array(masters.dropFirst()) + [parsed.withoutQuery]
        }
      } else if !DialectDetection.isPhotonHost(parsed.host), !query.isEmpty {
        spec.masterURL = parsed.withoutQuery + "?" + query
      }
    case .thumbor:
      // Detection already checked the shape; a site rule's forced dialect has not.
      guard !anyHost || ThumborDialect.looksLikeThumbor(path: parsed.path) else {
        throw .invalidURL(url, "not a thumbor path: no 'unsafe' or signature segment")
      }
      try ThumborDialect.read(parsed, original: url, into: &spec)
    case .cloudinary:
      try CloudinaryDialect.read(parsed, original: url, anyHost: anyHost, into: &spec)
    case .cloudflare:
      try CloudflareDialect.read(parsed, original: url, into: &spec)
    case .nextjs:
      try NextImageDialect.read(parsed, original: url, into: &spec)
    case .brightspot:
      try BrightspotDialect.read(parsed, original: url, into: &spec)
    case .arc:
      try ArcResizerDialect.read(parsed, original: url, into: &spec)
    case .guardian:
      GuardianDialect.read(parsed, into: &spec)
      try spec.read(query: query)
    case .imagekit:
      try ImageKitDialect.read(parsed, original: url, into: &spec)
    case .yahoo:
      try YahooDialect.read(parsed, original: url, anyHost: anyHost, into: &spec)
    case .sanity, .contentful, .akamai:
      try spec.read(query: query)
    case .rendition:
      let masters = RenditionRules.masters(of: parsed)?.masters ?? [url]
      spec.masterURL = masters[0]
      spec.fallbackMasterURLs = Array(masters.dropFirst())
    case .none:
      spec.masterURL = url
      if !query.isEmpty {
        spec.warnings.append(
          "query not read: \(parsed.host) is not a known image CDN and uses no Fastly parameters")
      }
    }
    try spec.setDeclaredSize(width: declaredWidth, height: declaredHeight)
    return spec
  }

  /// Reads a bare query (no URL) in `dialect`, as the CLI's `--spec "crop=…&width=640"` gives it;
  /// a leading `?` is allowed. For thumbor, the options path (`fit-in/640x480/smart`). For
  /// `.none`, the query is not read. `imageURL` and `masterURL` are empty.
  public static func parse(
    query: String, dialect: Dialect = .fastly, declaredWidth: Int? = nil,
    declaredHeight: Int? = nil
  ) throws(SpecError) -> ThumbnailSpec {
    guard query.utf8.count <= Limits.maxTextLength else {
      throw SpecError(
        kind: .invalidSpec, parameter: nil,
        message: "spec longer than \(Limits.maxTextLength) bytes")
    }
    var spec = ThumbnailSpec(dialect: dialect)
    var text = Substring(query.trimmingSpaces)
    if text.hasPrefix("?") { text = text.dropFirst() }
    switch dialect {
    case .fastly, .imgix, .photon, .sanity, .contentful, .akamai, .nextjs, .arc, .guardian:
      try spec.read(query: text)
    case .thumbor:
      try ThumborDialect.readOptions(String(text), into: &spec)
    case .cloudinary:
      try CloudinaryDialect.readOptions(String(text), into: &spec)
    case .cloudflare:
      try CloudflareDialect.readOptions(String(text), into: &spec)
    case .brightspot:
      try BrightspotDialect.readCommands(text.split(separator: "/"), into: &spec)
    case .imagekit:
      try ImageKitDialect.readSteps(text.split(separator: ":"), into: &spec)
    case .yahoo:
      try YahooDialect.readOptions(String(text), into: &spec)
    case .rendition, .none:
      if !text.isEmpty {
        spec.warnings.append("query not read in the '\(dialect.rawValue)' dialect")
      }
    }
    try spec.setDeclaredSize(width: declaredWidth, height: declaredHeight)
    return spec
  }

  /// Reads query parameters with this spec's dialect reader and collects its warnings.
  mutating func read(query: Substring) throws(SpecError) {
    var bag = try ParameterBag(QueryString.parameters(query))
    switch dialect {
    case .fastly: try FastlyDialect.read(&bag, into: &self)
    case .imgix: try ImgixDialect.read(&bag, into: &self)
    case .photon: try PhotonDialect.read(&bag, into: &self)
    case .sanity: try ImgixDialect.read(&bag, into: &self)
    case .contentful: try ContentfulDialect.read(&bag, into: &self)
    case .akamai: try AkamaiDialect.read(&bag, into: &self)
    case .nextjs: try NextImageDialect.readOptions(&bag, into: &self)
    case .arc: try ArcResizerDialect.readOptions(&bag, into: &self)
    case .guardian: try FastlyDialect.read(&bag, into: &self)
    case .thumbor, .cloudinary, .cloudflare, .brightspot, .imagekit, .yahoo, .rendition, .none:
      break
    }
    warnings += bag.finalWarnings(dialect: dialect)
  }
}
