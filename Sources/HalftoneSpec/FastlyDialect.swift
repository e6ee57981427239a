/// Reads Fastly Image Optimizer parameters
/// (https://www.fastly.com/documentation/reference/io/): `precrop`, `crop`, `width`, `height`,
/// `fit`, `dpr`, `quality`, `format`, `auto`, `enable`/`disable=upscale`, `orient`.
///
/// Also read, for the Guardian (i.guim.co.uk, a Fastly IO service with a few extras): `fit=max`
/// and `fit=clip` as `bounds`, `auto=format` as `[.avif, .webp]`, `crop=none` (no crop), and its `s`
/// signature (ignored).
enum FastlyDialect {
  /// Parameter names that make an unknown host's query Fastly's (see `DialectDetection`).
  static let parameterNames: Set<String> = [
    "crop", "precrop", "width", "height", "quality", "format", "fit", "dpr", "auto", "orient",
    "enable", "disable", "trim", "pad", "canvas", "bg-color", "optimize", "resize-filter",
  ]

  static func read(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec) throws(SpecError) {
    var dpr = FixedPoint.one
    if let value = bag.take("dpr") { dpr = try ValueReader.dpr(value, parameter: "dpr") }
    if let value = bag.take("precrop") {
      spec.precrop = try crop(value, parameter: "precrop", bag: &bag)
    }
    if let value = bag.take("crop"), !(spec.dialect == .guardian && value == "none") {
      spec.crop = try crop(value, parameter: "crop", bag: &bag)
    }
    if spec.crop == nil {
      // A precrop alone cuts exactly what the same crop would: one form, one canonical key.
      (spec.crop, spec.precrop) = (spec.precrop, nil)
    }
    var width: Length?
    var height: Length?
    if let value = bag.take("width") {
      width = try ValueReader.fastlyOutputLength(value, parameter: "width", dpr: dpr)
    }
    if let value = bag.take("height") {
      height = try ValueReader.fastlyOutputLength(value, parameter: "height", dpr: dpr)
    }
    var fit = Fit.crop  // both sizes without `fit`: exactly W×H, never distorted.
    if let value = bag.take("fit") { fit = try self.fit(value) }
    spec.urlSize = OutputSizeRequest(width: width, height: height, fit: fit)
    try readUpscale(&bag, into: &spec)
    if let value = bag.take("quality") { try readQuality(value, into: &spec) }
    if let value = bag.take("format") { try readFormat(value, into: &spec, bag: &bag) }
    if let value = bag.take("auto") { readAuto(value, into: &spec, bag: &bag) }
    if let value = bag.take("orient") { spec.orientation = try orientation(value) }
    bag.ignore("s")  // The Guardian's URL signature.
  }

  // MARK: crop and precrop

  static let cropHelp =
    "expected W,H or W:H, then optional xX or offset-xN, yY or offset-yN, smart, safe "
    + "(W, H, X, Y in pixels, fractions like 0.5 or percentages like 50p; N a percentage 0–100)"

  /// `W,H` · `W:H` · then `xX`/`offset-xN`, `yY`/`offset-yN`, `smart`, `safe` in any order.
  static func crop(_ value: String, parameter: String, bag: inout ParameterBag)
    throws(SpecError) -> CropRequest?
  {
    let invalid = SpecError.invalidSpec(parameter, value, cropHelp)
    let parts = value.split(separator: ",", omittingEmptySubsequences: false)
    guard let first = parts.first, !first.isEmpty else { throw invalid }
    let size: CropRequest.Size
    var options: ArraySlice<Substring>
    if first.utf8.contains(0x3A) {
      guard let ratio = AspectRatio(text: first) else { throw invalid }
      size = .ratio(ratio)
      options = parts.dropFirst()
    } else {
      guard parts.count >= 2, let width = ValueReader.fastlyLength(parts[0]),
        let height = ValueReader.fastlyLength(parts[1])
      else { throw invalid }
      size = .lengths(width: width, height: height)
      options = parts.dropFirst(2)
    }
    var x: Placement?
    var y: Placement?
    var smart = false
    var safe = false
    while let option = options.popFirst() {
      switch option {
      case "smart" where !smart: smart = true
      case "safe" where !safe: safe = true
      case _ where option.hasPrefix("offset-x") && x == nil:
        guard let share = leftover(option.dropFirst("offset-x".count)) else { throw invalid }
        x = .leftover(share)
      case _ where option.hasPrefix("offset-y") && y == nil:
        guard let share = leftover(option.dropFirst("offset-y".count)) else { throw invalid }
        y = .leftover(share)
      case _ where option.hasPrefix("x") && x == nil:
        guard let length = position(option.dropFirst()) else { throw invalid }
        x = .position(length)
      case _ where option.hasPrefix("y") && y == nil:
        guard let length = position(option.dropFirst()) else { throw invalid }
        y = .position(length)
      default:
        throw invalid
      }
    }
    if smart, x != nil || y != nil {
      bag.warn("\(parameter)=\(value): positions are ignored with smart (content picks the place)")
      x = nil
      y = nil
    }
    if smart, parameter == "precrop" {
      bag.warn("precrop=\(value): smart is not supported in precrop; the region is centred")
      smart = false
    }
    let request = CropRequest(
      size: size, x: x ?? .centred, y: y ?? .centred, smart: smart, safe: safe)
    return request.isWholeImage ? nil : request
  }

  /// A crop position: pixels, a fraction below 1 or a percentage (zero allowed).
  private static func position(_ text: Substring) -> Length? {
    guard let length = ValueReader.fastlyLength(text, allowZero: true) else { return nil }
    if case .share(let share) = length, share > FixedPoint.one { return nil }
    return length
  }

  /// `offset-xN`: N a percentage 0–100 of the leftover space.
  private static func leftover(_ text: Substring) -> Int? {
    guard let percent = FixedPoint.parse(text), percent <= 100 * FixedPoint.one else { return nil }
    return roundedQuotient(percent, 100)
  }

  // MARK: size, upscale, quality, format

  static func fit(_ value: String) throws(SpecError) -> Fit {
    switch value {
    case "bounds", "max", "clip": return .bounds
    case "cover": return .cover
    case "crop": return .crop
    default: throw .invalidSpec("fit", value, "expected bounds, cover or crop")
    }
  }

  /// Upscaling is off unless `enable=upscale`; `disable=upscale` wins over `enable`.
  private static func readUpscale(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    for name in ["enable", "disable"] {
      guard let value = bag.take(name) else { continue }
      for feature in value.split(separator: ",") {
        if feature == "upscale" {
          spec.upscale = name == "enable"
        } else {
          bag.warn("\(name)=\(feature) is not supported and was ignored")
        }
      }
    }
  }

  /// `Q` or `Q,Qwebp`.
  private static func readQuality(_ value: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    let parts = value.split(separator: ",", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count) else {
      throw .invalidSpec("quality", value, "expected Q or Q,Qwebp with whole numbers 1–100")
    }
    spec.quality = try ValueReader.quality(parts[0], parameter: "quality", whole: value)
    if parts.count == 2 {
      spec.webpQuality = try ValueReader.quality(parts[1], parameter: "quality", whole: value)
    }
  }

  private static func readFormat(
    _ value: String, into spec: inout ThumbnailSpec, bag: inout ParameterBag
  ) throws(SpecError) {
    spec.progressive = false
    switch value.lowercased() {
    case "jpg", "jpeg", "bjpg": spec.format = .jpeg
    case "pjpg":
      spec.format = .jpeg
      spec.progressive = true
    case "png", "png8", "png24", "png32": spec.format = .png
    case "gif":
      spec.format = .png
      bag.warn("format=gif is written as png (GIF output is not supported)")
    case "webp", "webply": spec.format = .webp
    case "webpll":
      spec.format = .webp
      bag.warn("format=webpll (lossless WebP) is written as lossy WebP")
    case "avif": spec.format = .avif
    case "auto":
      spec.format = nil
      spec.autoFormats = (spec.autoFormats + [.avif, .webp]).withoutDuplicates
    default:
      throw .invalidSpec(
        "format", value, "expected jpg, pjpg, png, png8, png24, png32, webp, avif, gif or auto")
    }
  }

  /// `auto=webp`, `auto=avif` (a comma list is read in order); `auto=format` as imgix does.
  private static func readAuto(
    _ value: String, into spec: inout ThumbnailSpec, bag: inout ParameterBag
  ) {
    var formats = spec.autoFormats
    for token in value.split(separator: ",") {
      switch token {
      case "webp": formats.append(.webp)
      case "avif": formats.append(.avif)
      case "format": formats += [.avif, .webp]
      default: bag.warn("auto=\(token) is not supported and was ignored")
      }
    }
    spec.autoFormats = formats.withoutDuplicates
  }

  /// `r` `l` `h` `v` `hv` as the EXIF orientation that produces them, or an EXIF number 1–8.
  static func orientation(_ value: String) throws(SpecError) -> OrientationRule {
    switch value.lowercased() {
    case "r": return .fixed(6)  // rotate 90° clockwise
    case "l": return .fixed(8)  // rotate 90° anticlockwise
    case "h": return .fixed(2)  // mirror left-right
    case "v": return .fixed(4)  // mirror top-bottom
    case "hv", "vh": return .fixed(3)  // both mirrors = rotate 180°
    default:
      guard let number = FixedPoint.integer(value), (1...8).contains(number) else {
        throw .invalidSpec("orient", value, "expected r, l, h, v, hv or an EXIF orientation 1–8")
      }
      return .fixed(number)
    }
  }
}
