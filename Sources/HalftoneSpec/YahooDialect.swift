/// Reads Yahoo's image proxy URLs (undocumented; the grammar as Yahoo's pages write it):
/// `s.yimg.com/ny/api/res/1.2/<signature>/<base64 options>/<master URL>` and the same under
/// `/uu/api/res/1.2/`. The options are base64 of `key=value;key=value` with `=` padding written
/// as `-` (`YXBwaWQ9aGlnaGxhbmRlcjt3PTk2MDtoPTU0MA--` is `appid=highlander;w=960;h=540`).
///
/// Read: `w`, `h` (decimals rounded), `fi=fill` (fill the box; otherwise `w`×`h` fits inside),
/// `pyoff` (with `fi=fill`: where the cut sits vertically, 0 top … 100 bottom), `q`, `cf`
/// (format); `appid` and `sm` silently. The master is the embedded URL; a master that is itself
/// a Yahoo proxy URL is unwrapped (at most `maxNesting` levels), the outermost options win.
/// Never enlarges.
enum YahooDialect {
  /// The options read; every other one is named in a warning.
  static let knownOptions: Set<Substring> = ["appid", "w", "h", "fi", "pyoff", "q", "cf", "sm"]

  static let maxNesting = 3

  static func matches(_ url: ImageURL) -> Bool { parts(url) != nil }

  /// The options segment and the embedded master text, or `nil`.
  static func parts(_ url: ImageURL, anyHost: Bool = false) -> (options: Substring, master: String)?
  {
    guard anyHost || url.host == "s.yimg.com" else { return nil }
    for prefix in ["/ny/api/res/1.2/", "/uu/api/res/1.2/"] where url.path.hasPrefix(prefix) {
      let rest = url.path.dropFirst(prefix.count).split(
        separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
      guard rest.count == 3, !rest[2].isEmpty else { return nil }
      var master = String(rest[2])
      if let query = url.query { master += "?" + query }
      return (rest[1], master)
    }
    return nil
  }

  static func read(
    _ url: ImageURL, original: String, anyHost: Bool = false, into spec: inout ThumbnailSpec
  ) throws(SpecError) {
    guard let (options, masterText) = parts(url, anyHost: anyHost) else {
      throw .invalidURL(
        original, "not a Yahoo proxy path: expected /ny/api/res/1.2/<sig>/<options>/<URL>")
    }
    try readOptions(try decode(options, original: original), into: &spec)
    var master = try EmbeddedURL.resolved(
      masterText, base: url, parameter: "embedded URL", original: original)
    for _ in 0..<maxNesting {
      guard let (_, innerMaster) = parts(master.url) else {
        spec.masterURL = master.text
        return
      }
      master = try EmbeddedURL.resolved(
        innerMaster, base: master.url, parameter: "embedded URL", original: original)
    }
    throw .invalidURL(original, "Yahoo proxy URLs nested more than \(maxNesting) deep")
  }

  /// The options text from its base64 (`-` for `=` padding, URL-safe letters allowed).
  static func decode(_ text: Substring, original: String) throws(SpecError) -> String {
    var digits: [UInt8] = []
    for scalar in text.unicodeScalars {
      switch scalar {
      case "A"..."Z": digits.append(UInt8(scalar.value - 65))
      case "a"..."z": digits.append(UInt8(scalar.value - 97 + 26))
      case "0"..."9": digits.append(UInt8(scalar.value - 48 + 52))
      case "+": digits.append(62)
      case "/", "_": digits.append(63)
      case "-", "=", "~": continue
      default:
        throw .invalidSpec("options", String(text), "not base64: '\(scalar)'")
      }
    }
    guard digits.count % 4 != 1 else {
      throw .invalidSpec("options", String(text), "not base64: truncated")
    }
    var bytes: [UInt8] = []
    var index = 0
    while index < digits.count {
      let chunk = digits[index..<min(index + 4, digits.count)]
      let values = Array(chunk) + Array(repeating: 0, count: 4 - chunk.count)
      let triple =
        (UInt32(values[0]) << 18) | (UInt32(values[1]) << 12) | (UInt32(values[2]) << 6)
        | UInt32(values[3])
      let count = chunk.count - 1
      for shift in [16, 8, 0].prefix(count) {
        bytes.append(UInt8((triple >> UInt32(shift)) & 0xFF))
      }
      index += 4
    }
    guard let decoded = String(validating: bytes, as: UTF8.self),
      decoded.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F })
    else { throw .invalidSpec("options", String(text), "base64 that decodes to no options text") }
    return decoded
  }

  /// `appid=highlander;w=960;h=540`, as `--spec` gives it.
  static func readOptions(_ text: String, into spec: inout ThumbnailSpec) throws(SpecError) {
    var values: [Substring: Substring] = [:]
    for item in text.split(separator: ";") {
      guard let (key, value) = item.keyValue("=") else {
        throw .invalidSpec("options", text, "expected key=value;key=value")
      }
      values[key] = value
    }
    func side(_ key: Substring) throws(SpecError) -> Length? {
      guard let value = values[key] else { return nil }
      guard let number = FixedPoint.parse(value) else {
        throw .invalidSpec(String(key), String(value), "expected pixels")
      }
      let pixels = roundedQuotient(number, FixedPoint.one)
      guard (1...Limits.maxOutputSide).contains(pixels) else {
        throw .invalidSpec(String(key), String(value), "must be 1–\(Limits.maxOutputSide) pixels")
      }
      return .pixels(pixels)
    }
    let fill = values["fi"] == "fill"
    spec.setURLSize(
      width: try side("w"), height: try side("h"),
      mode: fill ? .fill(upscale: false) : .bounds(upscale: false))
    if fill, let offset = values["pyoff"] {
      guard let percent = FixedPoint.integer(offset), (0...100).contains(percent) else {
        throw .invalidSpec("pyoff", String(offset), "expected 0–100")
      }
      spec.anchor = FillAnchor.focalPoint(x: FixedPoint.one / 2, y: percent * 10_000).normalised
      if percent == 0 { spec.anchor = .edges(horizontal: 0, vertical: -1) }
      if percent == 100 { spec.anchor = .edges(horizontal: 0, vertical: 1) }
    }
    if let quality = values["q"] {
      spec.quality = try ValueReader.quality(quality, parameter: "q", whole: String(quality))
    }
    if let format = values["cf"] {
      switch format {
      case "webp": spec.format = .webp
      case "jpg", "jpeg": spec.format = .jpeg
      case "png": spec.format = .png
      case "avif": spec.format = .avif
      default: throw .invalidSpec("cf", String(format), "expected webp, jpg, png or avif")
      }
    }
    for (key, value) in values.sorted(by: { $0.key < $1.key })
    where !Self.knownOptions.contains(key) {
      spec.warnings.append("Yahoo \(key)=\(value) is not supported and was ignored")
    }
    if let mode = values["fi"], mode != "fill" {
      spec.warnings.append("Yahoo fi=\(mode) is not supported; the size fits inside")
    }
  }
}
