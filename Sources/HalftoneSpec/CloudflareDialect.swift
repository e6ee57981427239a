/// Reads Cloudflare Images URLs (https://developers.cloudflare.com/images/transform-images/transform-via-url/):
/// `/cdn-cgi/image/<options>/<source>` on any host; options are `name=value` separated by
/// commas: `width`/`w`, `height`/`h`, `fit`, `gravity`/`g`, `quality`/`q`, `format`/`f`, `dpr`,
/// `trim` (`top;right;bottom;left`) and `trim.left|top|width|height`. Visual options (`blur`,
/// `sharpen`, `rotate`, `brightness`, `background`…) are named in a warning.
///
/// `fit`: `scale-down` (the default here when both sides are given: fit inside, never enlarge),
/// `contain` (fit inside, may enlarge), `cover` (fill the box, may enlarge), `crop` (fill the
/// box, never enlarge), `pad` (read as `contain` without padding, with a warning). `gravity`:
/// `auto` (by content), `face` (read as `auto`), `left|right|top|bottom`, or `XxY` shares. The
/// master is the source: a path on the same host, or an absolute URL.
enum CloudflareDialect {
  /// The options read; every other one is named in a warning.
  static let knownOptions: Set<Substring> = [
    "width", "w", "height", "h", "fit", "gravity", "g", "quality", "q", "format", "f", "dpr",
    "trim", "trim.left", "trim.top", "trim.width", "trim.height", "metadata", "onerror",
  ]

  static let prefix = "/cdn-cgi/image/"

  static func matches(_ url: ImageURL) -> Bool {
    url.path.hasPrefix(prefix) && url.path.dropFirst(prefix.count).contains("/")
  }

  static func read(_ url: ImageURL, original: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    let rest = url.path.dropFirst(prefix.count)
    guard let slash = rest.firstIndex(of: "/") else { return }
    try readOptions(String(rest[..<slash]), into: &spec)
    var source = String(rest[rest.index(after: slash)...])
    if let query = url.query { source += "?" + query }
    if !source.containsBytes("://"), !source.hasPrefixIgnoringCase("http") { source = "/" + source }
    spec.masterURL = try EmbeddedURL.resolve(
      source, base: url, parameter: "source image", original: original)
  }

  /// Reads an options segment (`width=640,height=480,fit=cover`), as `--spec` gives it too.
  static func readOptions(_ text: String, into spec: inout ThumbnailSpec) throws(SpecError) {
    var options: [(name: Substring, value: Substring)] = []
    for item in text.split(separator: ",") {
      guard let (name, value) = item.keyValue("=") else {
        throw .invalidSpec("options", String(item), "expected name=value")
      }
      options.append((name, value))
    }
    guard options.count <= Limits.maxParameters else {
      throw .invalidSpec(
        "options", text, "more than \(Limits.maxParameters) Cloudflare options")
    }
    func value(_ names: String...) -> Substring? {
      options.last { names.contains(String($0.name)) }?.value
    }
    for (name, value) in options where !Self.knownOptions.contains(name) {
      spec.warnings.append("Cloudflare \(name)=\(value) is not supported and was ignored")
    }
    var dpr = FixedPoint.one
    if let text = value("dpr") { dpr = try ValueReader.dpr(String(text), parameter: "dpr") }
    let width = try value("width", "w").map { text throws(SpecError) in
      try length(text, parameter: "width", dpr: dpr)
    }
    let height = try value("height", "h").map { text throws(SpecError) in
      try length(text, parameter: "height", dpr: dpr)
    }
    let mode: ResizeMode
    switch value("fit") ?? "scale-down" {
    case "scale-down": mode = .bounds(upscale: false)
    case "contain": mode = .bounds(upscale: true)
    case "cover": mode = .fill(upscale: true)
    case "crop": mode = .fill(upscale: false)
    case "pad": mode = .pad("Cloudflare fit=pad", upscale: true)
    case let other:
      throw .invalidSpec("fit", String(other), "expected scale-down, contain, cover, crop or pad")
    }
    spec.setURLSize(width: width, height: height, mode: mode)
    if let gravity = value("gravity", "g") { try readGravity(gravity, into: &spec) }
    if let quality = value("quality", "q") {
      spec.quality = try ValueReader.quality(quality, parameter: "quality", whole: String(quality))
    }
    if let format = value("format", "f") { try readFormat(format, into: &spec) }
    if let trim = value("trim") { try spec.addCrop(try insets(trim), parameter: "trim") }
    if let crop = try trimRegion(value) { try spec.addCrop(crop, parameter: "trim") }
  }

  private static func length(_ text: Substring, parameter: String, dpr: Int) throws(SpecError)
    -> Length
  {
    guard let pixels = FixedPoint.integer(text), pixels > 0 else {
      throw .invalidSpec(parameter, String(text), "expected whole pixels 1–\(Limits.maxOutputSide)")
    }
    return try ValueReader.scaled(
      .pixels(pixels), by: dpr, parameter: parameter, value: String(text))
  }

  private static func readGravity(_ gravity: Substring, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    switch gravity {
    case "auto": spec.anchor = .attention
    case "face":
      spec.anchor = .attention
      spec.warnings.append("Cloudflare gravity=face is read as gravity=auto (cut by content)")
    case "left", "right", "top", "bottom": spec.anchor = FillAnchor.compass(gravity) ?? .centre
    default:
      let shares = gravity.split(separator: "x", omittingEmptySubsequences: false)
      guard shares.count == 2, let x = ValueReader.unitFraction(shares[0]),
        let y = ValueReader.unitFraction(shares[1])
      else {
        throw .invalidSpec(
          "gravity", String(gravity), "expected auto, face, left, right, top, bottom or XxY (0–1)")
      }
      spec.anchor = FillAnchor.focalPoint(x: x, y: y).normalised
    }
  }

  private static func readFormat(_ format: Substring, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    switch format {
    case "auto": spec.autoFormats = [.avif, .webp]
    case "avif": spec.format = .avif
    case "webp": spec.format = .webp
    case "jpeg":
      spec.format = .jpeg
      spec.progressive = true
    case "baseline-jpeg": spec.format = .jpeg
    case "png": spec.format = .png
    default:
      throw .invalidSpec(
        "format", String(format), "expected auto, avif, webp, jpeg, baseline-jpeg or png")
    }
  }

  /// `trim=top;right;bottom;left` in pixels.
  private static func insets(_ text: Substring) throws(SpecError) -> CropRequest {
    let sides = text.split(separator: ";", omittingEmptySubsequences: false).map {
      FixedPoint.integer($0)
    }
    guard sides.count == 4, sides.allSatisfy({ ($0 ?? -1) >= 0 }) else {
      throw .invalidSpec("trim", String(text), "expected top;right;bottom;left in pixels")
    }
    let (top, right, bottom, left) = (sides[0]!, sides[1]!, sides[2]!, sides[3]!)
    return CropRequest(
      size: .insets(top: top, right: right, bottom: bottom, left: left),
      x: .position(.pixels(left)), y: .position(.pixels(top)))
  }

  /// `trim.left`, `trim.top`, `trim.width`, `trim.height` in pixels.
  private static func trimRegion(_ value: (String...) -> Substring?) throws(SpecError)
    -> CropRequest?
  {
    let names = ["trim.left", "trim.top", "trim.width", "trim.height"]
    let texts = names.map { value($0) }
    guard texts.contains(where: { $0 != nil }) else { return nil }
    var numbers: [Int?] = []
    for (name, text) in zip(names, texts) {
      guard let text else {
        numbers.append(nil)
        continue
      }
      guard let number = FixedPoint.integer(text), number >= 0 else {
        throw .invalidSpec(name, String(text), "expected pixels from 0")
      }
      numbers.append(number)
    }
    let width: Length = numbers[2].map { .pixels(max(1, $0)) } ?? .share(FixedPoint.one)
    let height: Length = numbers[3].map { .pixels(max(1, $0)) } ?? .share(FixedPoint.one)
    return CropRequest(
      size: .lengths(width: width, height: height),
      x: .position(.pixels(numbers[0] ?? 0)), y: .position(.pixels(numbers[1] ?? 0)))
  }
}
