/// How a dialect's resize mode is read in Halftone's terms: a `Fit`, whether it enlarges, and
/// the warning when Halftone can only approximate it (padding, distortion).
struct ResizeMode {
  var fit: Fit
  var upscale: Bool
  var warning: String? = nil

  /// Fit inside the box.
  static func bounds(upscale: Bool) -> ResizeMode { ResizeMode(fit: .bounds, upscale: upscale) }
  /// Exactly the box, cut to its aspect ratio.
  static func fill(upscale: Bool) -> ResizeMode { ResizeMode(fit: .crop, upscale: upscale) }
  /// Cover the box, nothing cut.
  static func cover(upscale: Bool) -> ResizeMode { ResizeMode(fit: .cover, upscale: upscale) }

  /// A padding mode (the image fitted inside the box, the rest filled): read as a fit inside
  /// the box, without the padding.
  static func pad(_ name: String, upscale: Bool) -> ResizeMode {
    ResizeMode(
      fit: .bounds, upscale: upscale,
      warning: "\(name) is read as a fit inside the box: Halftone adds no padding")
  }

  /// A distorting mode (both sides forced): read as exactly the box, cut instead of stretched.
  static func distort(_ name: String, upscale: Bool) -> ResizeMode {
    ResizeMode(
      fit: .crop, upscale: upscale,
      warning: "\(name) is read as a fill of the same size: Halftone cuts instead of distorting")
  }
}

extension ThumbnailSpec {
  /// Sets the URL's output size and enlargement from a dialect's width, height and mode.
  mutating func setURLSize(width: Length?, height: Length?, mode: ResizeMode) {
    urlSize = OutputSizeRequest(width: width, height: height, fit: mode.fit)
    upscale = mode.upscale
    if let warning = mode.warning, width != nil, height != nil { warnings.append(warning) }
  }

  /// Adds a crop: the first is `crop`; a second cuts from the first (which becomes `precrop`).
  /// A third is refused: no dialect reads more than two regions.
  mutating func addCrop(_ request: CropRequest, parameter: String) throws(SpecError) {
    if request.isWholeImage { return }
    if crop == nil {
      crop = request
    } else if precrop == nil {
      precrop = crop
      crop = request
    } else {
      throw .invalidSpec(parameter, request.keyText, "at most two crops can be read from one URL")
    }
  }
}

/// Reads the URL of a master that a CDN URL embeds (`?url=`, a path tail), with the same checks
/// as any image URL: http or https only, a host, no nested proxy of the same kind.
enum EmbeddedURL {
  /// The master a `url` query parameter names (Next.js, Brightspot), resolved against `url`, and
  /// the rest of the query. `vendor` names the URL style in messages; a master that `isSameKind`
  /// is refused (one level is followed).
  static func fromURLParameter(
    of url: ImageURL, original: String, vendor: String, isSameKind: (ImageURL) -> Bool
  ) throws(SpecError) -> (master: String, rest: ParameterBag) {
    var bag = try ParameterBag(QueryString.parameters(Substring(url.query ?? "")))
    guard let text = bag.take("url") else {
      throw .invalidURL(original, "a \(vendor) URL needs its url parameter")
    }
    let master = try resolved(text, base: url, parameter: "url parameter", original: original)
    if isSameKind(master.url) {
      throw .invalidURL(original, "a \(vendor) URL of another one: only one level is followed")
    }
    return (master.text, bag)
  }

  /// `text` as an absolute URL: decoded when it was percent-encoded whole (`https%3A%2F%2F…`),
  /// `https:/host` (a slash lost by path normalisation) repaired, a path relative to `base`'s
  /// origin, or an address without scheme (`host/path`) over https when `bareHost` allows it.
  static func resolve(
    _ text: String, base: ImageURL, parameter: String, original: String, bareHost: Bool = false
  ) throws(SpecError) -> String {
    try resolved(text, base: base, parameter: parameter, original: original, bareHost: bareHost)
      .text
  }

  /// `resolve`, with the URL it checked, for callers that look inside the master (a nested
  /// proxy of the same kind) without parsing it again.
  static func resolved(
    _ text: String, base: ImageURL, parameter: String, original: String, bareHost: Bool = false
  ) throws(SpecError) -> (text: String, url: ImageURL) {
    var value = text
    if value.hasPrefixIgnoringCase("http%3a") || value.hasPrefixIgnoringCase("https%3a")
      || value.hasPrefixIgnoringCase("%2f")
    {
      value = QueryString.percentDecoded(Substring(value))
    }
    guard !value.isEmpty else {
      throw .invalidURL(original, "the \(parameter) names no image")
    }
    if value.hasPrefix("//") {
      value = "\(base.scheme):\(value)"
    } else if value.hasPrefix("/") {
      value = "\(base.scheme)://\(base.authority)\(value)"
    } else if let colon = value.utf8.firstIndex(of: 0x3A) {
      let scheme = value[..<colon].lowercased()
      let rest = value[value.utf8.index(after: colon)...]
      let web = scheme == "http" || scheme == "https"
      if web, rest.hasPrefix("/"), !rest.hasPrefix("//") {
        value = "\(scheme):/\(rest)"
      } else if !web, rest.hasPrefix("/") {
        throw .invalidURL(
          original, "the \(parameter) uses the scheme '\(scheme)'; only http and https are read")
      } else if !rest.hasPrefix("//") {
        guard bareHost else {
          throw .invalidURL(original, "the \(parameter) '\(text)' is not an http(s) URL")
        }
        value = "https://" + value
      }
    } else {
      guard bareHost else {
        throw .invalidURL(original, "the \(parameter) '\(text)' is not an http(s) URL")
      }
      value = "https://" + value
    }
    do {
      return (value, try ImageURL.parse(value))
    } catch {
      throw .invalidURL(original, "the \(parameter) is not a usable URL: \(error.message)")
    }
  }
}

extension Substring {
  /// `key_value` / `key-value` split at the first `separator`, an ASCII character: found in the
  /// UTF-8 (no grapheme breaking), where its position is a character boundary.
  func keyValue(_ separator: Unicode.Scalar) -> (key: Substring, value: Substring)? {
    guard let split = utf8.firstIndex(of: UInt8(ascii: separator)) else { return nil }
    return (self[..<split], self[utf8.index(after: split)...])
  }
}

extension StringProtocol {
  /// Whether this text starts with `prefix`, ASCII letters compared without case: a byte
  /// comparison, without the lower-cased copy of the whole text.
  func hasPrefixIgnoringCase(_ prefix: String) -> Bool {
    func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
    var bytes = utf8.makeIterator()
    for expected in prefix.utf8 {
      guard let byte = bytes.next(), lower(byte) == lower(expected) else { return false }
    }
    return true
  }

  /// The whole numbers of text such as `AxB:CxD` or `WxH`, split at every `x` and `:` (bytes);
  /// `nil` for a part that is not one (`FixedPoint.integer`).
  func pixelNumbers() -> [Int?] {
    var numbers: [Int?] = []
    var start = utf8.startIndex
    var index = start
    while true {
      let atEnd = index == utf8.endIndex
      if atEnd || utf8[index] == 0x78 || utf8[index] == 0x3A {
        numbers.append(FixedPoint.integer(self[start..<index]))
        if atEnd { break }
        start = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    return numbers
  }

  /// Whether `needle`'s UTF-8 occurs in this text: a byte search, for ASCII markers.
  func containsBytes(_ needle: String) -> Bool { rangeOfBytes(needle) != nil }

  /// Where `needle`'s UTF-8 first occurs in this text: a byte search, for ASCII markers (whose
  /// byte positions are character boundaries).
  func rangeOfBytes(_ needle: String) -> Range<Index>? {
    let bytes = utf8
    guard let first = needle.utf8.first else { return startIndex..<startIndex }
    var index = bytes.startIndex
    while let found = bytes[index...].firstIndex(of: first) {
      if bytes[found...].starts(with: needle.utf8) {
        return found..<bytes.index(found, offsetBy: needle.utf8.count)
      }
      index = bytes.index(after: found)
    }
    return nil
  }
}

extension CropRequest {
  /// A region of `size` placed as `anchor` says: against the edges it names, by content for
  /// `.attention`, centred otherwise.
  static func placed(_ size: Size, by anchor: FillAnchor) -> CropRequest {
    switch anchor {
    case .attention: return CropRequest(size: size, smart: true)
    case .edges(let horizontal, let vertical):
      func placement(_ side: Int) -> Placement {
        side < 0 ? .position(.pixels(0)) : side > 0 ? .leftover(FixedPoint.one) : .centred
      }
      return CropRequest(size: size, x: placement(horizontal), y: placement(vertical))
    default: return CropRequest(size: size)
    }
  }
}
