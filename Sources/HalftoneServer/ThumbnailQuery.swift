import HalftoneSpec

/// The parameters of `GET /thumbnails`: `url` (required), `width`, `height`, `format`, `sig`.
///
/// Strict on purpose: these URLs are signed and cached by CDNs, so an unknown or repeated
/// parameter is an error (400 `invalid_spec`) rather than something silently ignored.
struct ThumbnailQuery: Sendable, Equatable {
  /// The image reference as written (a CDN URL whose own query says crop, size, format…).
  var url: String
  /// The declared size, as a record would give it (wins over the URL's size).
  var width: Int?
  var height: Int?
  /// Forces the output format (drops the URL's `auto=` negotiation).
  var format: OutputFormat?

  static let names: Set<String> = ["url", "width", "height", "format", "sig"]

  init(url: String, width: Int? = nil, height: Int? = nil, format: OutputFormat? = nil) {
    self.url = url
    self.width = width
    self.height = height
    self.format = format
  }

  /// Reads decoded query items.
  init(items: [QueryItem]) throws(APIError) {
    var seen: Set<String> = []
    var values: [String: String] = [:]
    for item in items {
      guard Self.names.contains(item.name) else {
        throw .badRequest(
          .invalidSpec,
          "unknown parameter '\(item.name.prefix(64))': /thumbnails reads url, width, height, "
            + "format and sig (encode the image URL's own query inside url, e.g. %26 for &)")
      }
      guard seen.insert(item.name).inserted else {
        throw .badRequest(.invalidSpec, "parameter '\(item.name)' is given more than once")
      }
      values[item.name] = item.value
    }
    guard let url = values["url"], !url.isEmpty else {
      throw .badRequest(
        .invalidURL, "missing url: /thumbnails?url=<percent-encoded image URL>[&width=W]…")
    }
    self.url = url
    width = try Self.size(values["width"], name: "width")
    height = try Self.size(values["height"], name: "height")
    if let text = values["format"] { format = try Self.format(text) } else { format = nil }
  }

  /// The spec: the URL's dialect read with the declared size, then the forced format.
  func spec(rules: URLRules = .none) throws(APIError) -> ThumbnailSpec {
    do {
      var spec = try ThumbnailSpec.parse(
        url: url, declaredWidth: width, declaredHeight: height, rules: rules)
      if let format { try spec.override(width: nil, height: nil, format: format, quality: nil) }
      return spec
    } catch {
      throw .badRequest(error.kind, error.message)
    }
  }

  /// The items this query is made of, for signing.
  var items: [QueryItem] {
    var items = [QueryItem(name: "url", value: url)]
    if let width { items.append(QueryItem(name: "width", value: String(width))) }
    if let height { items.append(QueryItem(name: "height", value: String(height))) }
    if let format { items.append(QueryItem(name: "format", value: format.rawValue)) }
    return items
  }

  private static func size(_ text: String?, name: String) throws(APIError) -> Int? {
    guard let text else { return nil }
    // Digits only, at most 5 of them: the spec then checks 1–8192.
    guard !text.isEmpty, text.utf8.count <= 5, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
      let value = Int(text)
    else {
      throw .badRequest(
        .invalidSpec, "invalid \(name)='\(text.prefix(32))': expected whole pixels 1–8192")
    }
    return value
  }

  static func format(_ text: String) throws(APIError) -> OutputFormat {
    switch text.lowercased() {
    case "jpeg", "jpg": return .jpeg
    case "png": return .png
    case "webp": return .webp
    case "avif": return .avif
    default:
      throw .badRequest(
        .invalidSpec, "invalid format='\(text.prefix(32))': expected jpeg, png, webp or avif")
    }
  }
}
