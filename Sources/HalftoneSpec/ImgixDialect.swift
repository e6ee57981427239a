/// Reads imgix parameters (https://docs.imgix.com/apis/rendering): `rect`, `w`, `h`, `ar`, `fit`,
/// `crop`, `fp-x`, `fp-y`, `q`, `fm`, `auto`, `dpr`.
///
/// Choices where imgix differs from our rules or is silent:
/// - Enlarging follows imgix: `fit=clip` (the default), `crop`, `fill` and `scale` enlarge a small
///   region; `max` and `min` never do.
/// - `fit=fill` (pad) and `fit=scale` (distort) are read as `crop`: the same W×H, never padded or
///   distorted; a warning says so. `facearea` is read as `crop` by content.
/// - `crop=top|bottom|left|right` align the cut to those edges, `faces|entropy|edges` cut by
///   content (gravity `.attention`), `focalpoint` centres on `fp-x`,`fp-y`. Read only with
///   `fit=crop|min`.
/// - `rect` outside the image is `crop_out_of_bounds` (imgix does not document clamping).
/// - `ar=W:H` is read with `fit=crop` and a pixel `w` or `h` alone, as imgix does.
enum ImgixDialect {
  static func read(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec) throws(SpecError) {
    var dpr = FixedPoint.one
    if let value = bag.take("dpr") { dpr = try ValueReader.dpr(value, parameter: "dpr") }
    if let value = bag.take("rect") { spec.crop = try rect(value) }
    var width: Length?
    var height: Length?
    if let value = bag.take("w") { width = try outputLength(value, parameter: "w", dpr: dpr) }
    if let value = bag.take("h") { height = try outputLength(value, parameter: "h", dpr: dpr) }
    var fit = Fit.bounds
    spec.upscale = true
    if let value = bag.take("fit") {
      (fit, spec.upscale) = try self.fit(value, spec: &spec, bag: &bag)
    }
    (width, height) = applyAspectRatio(&bag, width: width, height: height, fit: fit)
    spec.urlSize = OutputSizeRequest(width: width, height: height, fit: fit)
    try readCropMode(&bag, fit: fit, into: &spec)
    if let value = bag.take("q") {
      spec.quality = try ValueReader.quality(Substring(value), parameter: "q", whole: value)
    }
    if let value = bag.take("fm") { try readFormat(value, into: &spec) }
    if let value = bag.take("auto") { readAuto(value, into: &spec, bag: &bag) }
    bag.ignore("ixlib", "s")  // library stamp and URL signature
  }

  private static func outputLength(_ value: String, parameter: String, dpr: Int)
    throws(SpecError) -> Length
  {
    guard let length = ValueReader.imgixLength(Substring(value)) else {
      throw .invalidSpec(
        parameter, value,
        "expected whole pixels (1–\(Limits.maxOutputSide)) or a fraction up to 1 like 0.5")
    }
    return try ValueReader.scaled(length, by: dpr, parameter: parameter, value: value)
  }

  /// `rect=x,y,w,h`: pixels or fractions of the source; x may be left/center/right, y
  /// top/middle/bottom, w and h `full`.
  static func rect(_ value: String) throws(SpecError) -> CropRequest? {
    let invalid = SpecError.invalidSpec(
      "rect", value,
      "expected x,y,w,h in pixels or fractions 0–1 (x may be left/center/right, "
        + "y top/middle/bottom, w and h full)")
    let parts = value.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 4,
      let x = placement(parts[0], near: "left", centre: "center", far: "right"),
      let y = placement(parts[1], near: "top", centre: "middle", far: "bottom"),
      let width = parts[2] == "full" ? .share(FixedPoint.one) : ValueReader.imgixLength(parts[2]),
      let height = parts[3] == "full" ? .share(FixedPoint.one) : ValueReader.imgixLength(parts[3])
    else { throw invalid }
    let request = CropRequest(size: .lengths(width: width, height: height), x: x, y: y)
    return request.isWholeImage ? nil : request
  }

  private static func placement(_ text: Substring, near: String, centre: String, far: String)
    -> Placement?
  {
    switch text {
    case Substring(near): return .position(.pixels(0))
    case Substring(centre): return .centred
    case Substring(far): return .leftover(FixedPoint.one)
    default:
      if text.utf8.contains(0x2E) {
        guard let share = ValueReader.unitFraction(text) else { return nil }
        return .position(.share(share))
      }
      guard let pixels = FixedPoint.integer(text) else { return nil }
      return .position(.pixels(pixels))
    }
  }

  /// The common fit and whether imgix enlarges with it.
  private static func fit(_ value: String, spec: inout ThumbnailSpec, bag: inout ParameterBag)
    throws(SpecError) -> (Fit, Bool)
  {
    switch value {
    case "clip": return (.bounds, true)
    case "max": return (.bounds, false)
    case "crop": return (.crop, true)
    case "min": return (.crop, false)
    case "fill", "fillmax", "scale":
      bag.warn(
        "fit=\(value) is read as fit=crop: the same size, cut instead of padded or distorted")
      return (.crop, value != "fillmax")
    case "facearea":
      bag.warn("fit=facearea is read as fit=crop by content")
      spec.anchor = .attention
      return (.crop, true)
    default:
      throw .invalidSpec(
        "fit", value, "expected clip, max, crop, min, fill, fillmax, scale or facearea")
    }
  }

  /// `ar=W:H` with `fit=crop` and a pixel `w` or `h` alone gives the other side.
  private static func applyAspectRatio(
    _ bag: inout ParameterBag, width: Length?, height: Length?, fit: Fit
  ) -> (Length?, Length?) {
    guard let value = bag.take("ar") else { return (width, height) }
    guard let ratio = AspectRatio(text: Substring(value)) else {
      bag.warn("ar=\(value) is not W:H and was ignored")
      return (width, height)
    }
    switch (width, height) {
    case (.pixels(let pixels)?, nil) where fit == .crop:
      let derived = roundedQuotient(pixels * ratio.height, ratio.width)
      return (width, .pixels(min(Limits.maxOutputSide, max(1, derived))))
    case (nil, .pixels(let pixels)?) where fit == .crop:
      let derived = roundedQuotient(pixels * ratio.width, ratio.height)
      return (.pixels(min(Limits.maxOutputSide, max(1, derived))), height)
    default:
      bag.warn("ar=\(value) is read only with fit=crop and a pixel w or h alone; ignored")
      return (width, height)
    }
  }

  private static func readCropMode(
    _ bag: inout ParameterBag, fit: Fit, into spec: inout ThumbnailSpec
  ) throws(SpecError) {
    let focalX = bag.take("fp-x")
    let focalY = bag.take("fp-y")
    guard let value = bag.take("crop") else { return }
    guard fit == .crop else {
      bag.warn("crop=\(value) is read only with fit=crop or fit=min; ignored")
      return
    }
    var horizontal = 0
    var vertical = 0
    var byContent = false
    var focal = false
    for mode in value.split(separator: ",") {
      switch mode {
      case "faces", "entropy", "edges": byContent = true
      case "focalpoint": focal = true
      case "left": horizontal = -1
      case "right": horizontal = 1
      case "top": vertical = -1
      case "bottom": vertical = 1
      default:
        throw .invalidSpec(
          "crop", value, "expected top, bottom, left, right, faces, entropy, edges or focalpoint")
      }
    }
    if byContent {
      spec.anchor = .attention
    } else if focal {
      spec.anchor =
        FillAnchor.focalPoint(
          x: try focalCoordinate(focalX, parameter: "fp-x"),
          y: try focalCoordinate(focalY, parameter: "fp-y")
        ).normalised
    } else {
      spec.anchor = FillAnchor.edges(horizontal: horizontal, vertical: vertical).normalised
    }
  }

  private static func focalCoordinate(_ value: String?, parameter: String) throws(SpecError) -> Int
  {
    guard let value else { return FixedPoint.one / 2 }
    guard let share = ValueReader.unitFraction(Substring(value)) else {
      throw .invalidSpec(parameter, value, "expected a fraction from 0 to 1")
    }
    return share
  }

  private static func readFormat(_ value: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    spec.progressive = false
    switch value.lowercased() {
    case "jpg": spec.format = .jpeg
    case "pjpg":
      spec.format = .jpeg
      spec.progressive = true
    case "png", "png8", "png32": spec.format = .png
    case "webp": spec.format = .webp
    case "avif": spec.format = .avif
    default: throw .invalidSpec("fm", value, "expected jpg, pjpg, png, png8, png32, webp or avif")
    }
  }

  /// `auto=format` offers AVIF then WebP; `compress` is the encoder's business (no warning).
  private static func readAuto(
    _ value: String, into spec: inout ThumbnailSpec, bag: inout ParameterBag
  ) {
    for token in value.split(separator: ",") {
      switch token {
      case "format": spec.autoFormats = (spec.autoFormats + [.avif, .webp]).withoutDuplicates
      case "compress": break
      default: bag.warn("auto=\(token) is not supported and was ignored")
      }
    }
  }
}
