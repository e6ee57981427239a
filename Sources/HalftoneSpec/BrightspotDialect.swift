/// Reads Brightspot's dims URLs (the mod_dims engine: https://github.com/beetlebugorg/mod_dims;
/// geometry as ImageMagick defines it:
/// https://imagemagick.org/script/command-line-processing.php#geometry):
/// `/dims4/<client>/<signature>/<expiry>/<command>/<argument>/…/?url=<master>` and
/// `/dims3/<client>/<command>/<argument>/…/?url=<master>`, commands applied in order.
///
/// Read: `crop/WxH+X+Y` (source pixels, or `%` of the image; `0x0+0+0` keeps it whole),
/// `resize/<geometry>` and `thumbnail/WxH` (fill the box, centre cut), `quality/Q`,
/// `format/jpg|png|webp`, `interlace/…` (progressive unless `None`), `strip/…` silently; other
/// commands are named in a warning. Geometry: `WxH` fits inside (may enlarge, as ImageMagick
/// does), `WxH>` only shrinks, `WxH<` only enlarges (read as `WxH`, with a warning), `WxH^`
/// covers, `WxH!` is read as a fill of that size (Halftone does not distort; a warning says so),
/// `W` or `xH` one side. A crop after a resize is ignored with a warning (its coordinates are in
/// the resized image). At most `maxCommands` commands.
enum BrightspotDialect {
  static let maxCommands = 32
  static let commands: Set<Substring> = [
    "crop", "resize", "thumbnail", "quality", "format", "interlace", "strip", "gravity",
    "extent", "autolevel", "invert", "brightness", "flipflop", "sepia", "grayscale", "rotate",
    "sharpen", "legacy_thumbnail",
  ]

  static func matches(_ url: ImageURL) -> Bool {
    (url.path.hasPrefix("/dims4/") || url.path.hasPrefix("/dims3/"))
      && (url.query ?? "").containsBytes("url=")
  }

  static func read(_ url: ImageURL, original: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    let (master, bag) = try EmbeddedURL.fromURLParameter(
      of: url, original: original, vendor: "Brightspot dims", isSameKind: matches)
    spec.masterURL = master
    var segments = url.path.split(separator: "/").dropFirst()[...]  // after dims3/dims4
    while let first = segments.first, !commands.contains(first) { segments = segments.dropFirst() }
    try readCommands(Array(segments), into: &spec)
    spec.warnings += bag.finalWarnings(dialect: .brightspot)
  }

  /// Reads `command/argument` pairs (`crop/910x525+0+0/resize/880x587!`), as `--spec` gives them.
  static func readCommands(_ segments: [Substring], into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    guard segments.count <= 2 * maxCommands else {
      throw .invalidSpec(
        "commands", "\(segments.count / 2) commands",
        "more than \(maxCommands) commands in one dims URL")
    }
    spec.upscale = true
    var resized = false
    var index = 0
    while index < segments.count {
      let command = segments[index]
      guard index + 1 < segments.count else {
        throw .invalidSpec(String(command), "", "a dims command needs an argument")
      }
      let argument = Substring(QueryString.percentDecoded(segments[index + 1]))
      index += 2
      switch command {
      case "crop":
        guard !resized else {
          spec.warnings.append("dims crop after a resize is not supported and was ignored")
          continue
        }
        if let crop = try crop(argument) { try spec.addCrop(crop, parameter: "crop") }
      case "resize", "thumbnail", "legacy_thumbnail":
        if resized { spec.warnings.append("dims: several resizes; the last one is read") }
        resized = true
        try resize(argument, thumbnail: command != "resize", into: &spec)
      case "quality":
        spec.quality = try ValueReader.quality(
          argument, parameter: "quality", whole: String(argument))
      case "format":
        switch argument.lowercased() {
        case "jpg", "jpeg": spec.format = .jpeg
        case "png": spec.format = .png
        case "webp": spec.format = .webp
        case "avif": spec.format = .avif
        default:
          throw .invalidSpec("format", String(argument), "expected jpg, jpeg, png, webp or avif")
        }
      case "interlace": spec.progressive = argument.lowercased() != "none"
      case "strip": break
      default:
        spec.warnings.append("dims \(command)/\(argument) is not supported and was ignored")
      }
    }
  }

  /// `WxH+X+Y` (pixels or percentages); `nil` for `0x0+0+0`.
  private static func crop(_ text: Substring) throws(SpecError) -> CropRequest? {
    let invalid = SpecError.invalidSpec("crop", String(text), "expected WxH+X+Y, like 910x525+0+0")
    let parts = text.split(separator: "+", omittingEmptySubsequences: false)
    guard parts.count == 1 || parts.count == 3 else { throw invalid }
    let sides = parts[0].split(separator: "x", omittingEmptySubsequences: false)
    guard sides.count == 2, let width = length(sides[0]), let height = length(sides[1]) else {
      throw invalid
    }
    var x = Length.pixels(0)
    var y = Length.pixels(0)
    if parts.count == 3 {
      guard let left = length(parts[1]), let top = length(parts[2]) else { throw invalid }
      (x, y) = (left, top)
    }
    if width == .pixels(0) || height == .pixels(0) {
      guard width == height, x == .pixels(0), y == .pixels(0) else { throw invalid }
      return nil
    }
    return CropRequest(
      size: .lengths(width: width, height: height), x: .position(x), y: .position(y))
  }

  private static func length(_ text: Substring) -> Length? {
    if text.hasSuffix("%") {
      guard let percent = FixedPoint.parse(text.dropLast()), percent <= 100 * FixedPoint.one
      else { return nil }
      return .share(roundedQuotient(percent, 100))
    }
    guard let pixels = FixedPoint.integer(text), pixels >= 0 else { return nil }
    return .pixels(pixels)
  }

  /// An ImageMagick geometry `W`, `xH`, `WxH` with an optional flag `!`, `^`, `>`, `<`.
  private static func resize(_ text: Substring, thumbnail: Bool, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    var geometry = text
    var flag: Character?
    if let last = geometry.last, "!^><".contains(last) {
      flag = last
      geometry = geometry.dropLast()
    }
    let sides = geometry.split(separator: "x", omittingEmptySubsequences: false)
    func side(_ text: Substring?) throws(SpecError) -> Length? {
      guard let text, !text.isEmpty else { return nil }
      guard let pixels = FixedPoint.integer(text), (1...Limits.maxOutputSide).contains(pixels)
      else {
        throw .invalidSpec(
          "resize", String(text),
          "expected a geometry like 880x587 with sides 1–\(Limits.maxOutputSide)")
      }
      return .pixels(pixels)
    }
    guard sides.count <= 2 else {
      throw .invalidSpec("resize", String(text), "expected a geometry like 880x587")
    }
    let width = try side(sides[0])
    let height = try side(sides.count == 2 ? sides[1] : nil)
    guard width != nil || height != nil else {
      throw .invalidSpec("resize", String(text), "expected a geometry like 880x587")
    }
    let mode: ResizeMode
    switch (thumbnail, flag) {
    case (true, _): mode = .fill(upscale: true)
    case (false, "!"): mode = .distort("dims resize with !", upscale: true)
    case (false, "^"): mode = .cover(upscale: true)
    case (false, ">"): mode = .bounds(upscale: false)
    case (false, "<"):
      mode = ResizeMode(
        fit: .bounds, upscale: true, warning: "dims resize with < (only enlarge) is read as WxH")
    default: mode = .bounds(upscale: true)
    }
    spec.setURLSize(width: width, height: height, mode: mode)
  }
}
