extension ThumbnailSpec {
  /// Reads an image URL in the dialect its host and shape say (see `DialectDetection`), with the
  /// size its record declares (which wins, see `SizeRules`).
  ///
  /// Throws `invalid_url` for empty or malformed URLs, `unsupported_scheme` for anything but http
  /// and https, `invalid_spec` for a bad parameter value or declared size. Unknown parameters are
  /// not errors: each adds a line to `warnings`.
  public static func parse(url: String, declaredWidth: Int? = nil, declaredHeight: Int? = nil)
    throws(SpecError) -> ThumbnailSpec
  {
    let parsed = try ImageURL.parse(url)
    let dialect = DialectDetection.dialect(of: parsed)
    var spec = ThumbnailSpec(dialect: dialect, imageURL: url, masterURL: parsed.withoutQuery)
    let query = Substring(parsed.query ?? "")
    switch dialect {
    case .fastly, .imgix:
      try spec.read(query: query)
    case .photon:
      if DialectDetection.isPhotonHost(parsed.host) {
        spec.masterURL = try PhotonDialect.masterURL(of: parsed, original: url)
      }
      if PhotonDialect.ownsQuery(String(query)) {
        try spec.read(query: query)
      } else if !DialectDetection.isPhotonHost(parsed.host), !query.isEmpty {
        spec.masterURL = parsed.withoutQuery + "?" + query
      }
    case .thumbor:
      try ThumborDialect.read(parsed, original: url, into: &spec)
    case .rendition:
      spec.masterURL = RenditionRules.master(of: parsed)?.master ?? url
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
    case .fastly, .imgix, .photon:
      try spec.read(query: text)
    case .thumbor:
      try ThumborDialect.readOptions(String(text), into: &spec)
    case .rendition, .none:
      if !text.isEmpty {
        spec.warnings.append("query not read in the '\(dialect.rawValue)' dialect")
      }
    }
    try spec.setDeclaredSize(width: declaredWidth, height: declaredHeight)
    return spec
  }

  /// Reads query parameters with this spec's dialect reader and collects its warnings.
  private mutating func read(query: Substring) throws(SpecError) {
    var bag = try ParameterBag(QueryString.parameters(query))
    switch dialect {
    case .fastly: try FastlyDialect.read(&bag, into: &self)
    case .imgix: try ImgixDialect.read(&bag, into: &self)
    case .photon: try PhotonDialect.read(&bag, into: &self)
    case .thumbor, .rendition, .none: break
    }
    warnings += bag.finalWarnings(dialect: dialect)
  }
}
