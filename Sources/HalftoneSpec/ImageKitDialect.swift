/// Reads ImageKit URLs (https://imagekit.io/docs/image-resize-and-crop,
/// https://imagekit.io/docs/transformations): `ik.imagekit.io/<id>/tr:<step>[:<step>…]/<path>`
/// or `ik.imagekit.io/<id>/<path>?tr=<steps>`; a step is `name-value` parameters separated by
/// commas, steps run in order.
///
/// Read: `w`, `h` (pixels, or a share below 1), `ar-W-H`, `c-` (`maintain_ratio`, the default:
/// fill the box; `force`, read as a fill (Halftone does not distort); `at_max`: fit inside,
/// never enlarge; `at_max_enlarge`: fit inside; `at_least`: cover), `cm-` (`extract`: cut a
/// `w`×`h` region at `fo` or `x`,`y`, unresized; `pad_resize`: fit inside, no padding;
/// `pad_extract`: read as `extract`), `fo-` (compass names, `center`, `auto`, `face`: cut by
/// content), `x-`, `y-`, `xc-`, `yc-`, `q-`, `f-`, `dpr-`, `pr-true` (progressive). Others
/// (overlays `l-`, effects `e-`, `bl-`, `r-`…) are named in a warning. The master is the URL
/// without the transformation.
enum ImageKitDialect {
  /// The options read; every other one is named in a warning.
  static let knownOptions: Set<Substring> = [
    "w", "h", "ar", "c", "cm", "fo", "x", "y", "xc", "yc", "q", "f", "dpr", "pr", "orig",
  ]

  static let maxSteps = 32

  static func matches(_ url: ImageURL) -> Bool { url.host == "ik.imagekit.io" }

  static func read(_ url: ImageURL, original: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    var segments = url.path.split(separator: "/", omittingEmptySubsequences: false)
    var steps: [Substring] = []
    if let index = segments.firstIndex(where: { $0.hasPrefix("tr:") }), index >= 2 {
      steps = segments[index].dropFirst(3).split(separator: ":")
      segments.remove(at: index)
    }
    var kept: [String] = []
    for item in (url.query ?? "").split(separator: "&") {
      if item.hasPrefix("tr=") {
        steps += Substring(QueryString.percentDecoded(item.dropFirst(3))).split(separator: ":")
      } else {
        kept.append(String(item))
      }
    }
    spec.masterURL =
      "\(url.scheme)://\(url.authority)" + segments.joined(separator: "/")
      + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    try readSteps(steps, into: &spec)
  }

  /// Reads chained steps (`w-300,h-300,fo-auto:q-80`), as `--spec` gives them.
  static func readSteps(_ steps: [Substring], into spec: inout ThumbnailSpec) throws(SpecError) {
    guard steps.count <= maxSteps else {
      throw .invalidSpec("tr", "\(steps.count) steps", "more than \(maxSteps) chained steps")
    }
    spec.upscale = true
    var dpr = FixedPoint.one
    var resized = false
    for step in steps {
      var values: [Substring: Substring] = [:]
      for item in step.split(separator: ",") {
        guard let (name, value) = item.keyValue("-") else {
          throw .invalidSpec("tr", String(item), "expected name-value, like w-300")
        }
        values[name] = value
      }
      if let value = values["dpr"] { dpr = try ValueReader.dpr(String(value), parameter: "dpr") }
      try readStep(values, step: String(step), dpr: dpr, resized: &resized, into: &spec)
    }
  }

  private static func readStep(
    _ values: [Substring: Substring], step: String, dpr: Int, resized: inout Bool,
    into spec: inout ThumbnailSpec
  ) throws(SpecError) {
    for (name, value) in values.sorted(by: { $0.key < $1.key })
    where !Self.knownOptions.contains(name) {
      spec.warnings.append("ImageKit \(name)-\(value) is not supported and was ignored")
    }
    if let value = values["q"] {
      spec.quality = try ValueReader.quality(value, parameter: "q", whole: String(value))
    }
    if let value = values["f"] {
      switch value {
      case "auto": spec.autoFormats = [.avif, .webp]
      case "jpg", "jpeg": spec.format = .jpeg
      case "png": spec.format = .png
      case "webp": spec.format = .webp
      case "avif": spec.format = .avif
      default: throw .invalidSpec("f", String(value), "expected auto, jpg, png, webp or avif")
      }
    }
    if values["pr"] == "true" { spec.progressive = true }
    var width = try length(values["w"], name: "w")
    var height = try length(values["h"], name: "h")
    if let ratio = values["ar"] {
      let sides = ratio.split(separator: "-")
      guard sides.count == 2, let w = FixedPoint.parse(sides[0]),
        let h = FixedPoint.parse(sides[1]),
        let aspect = AspectRatio(widthMillionths: w, heightMillionths: h)
      else { throw .invalidSpec("ar", String(ratio), "expected W-H like 16-9") }
      switch (width, height) {
      case (.pixels(let pixels)?, nil):
        height = .pixels(
          max(1, min(Limits.maxOutputSide, roundedQuotient(pixels * aspect.height, aspect.width))))
      case (nil, .pixels(let pixels)?):
        width = .pixels(
          max(1, min(Limits.maxOutputSide, roundedQuotient(pixels * aspect.width, aspect.height))))
      case (nil, nil):
        if !resized {
          try spec.addCrop(placed(.ratio(aspect), focus: values["fo"]), parameter: "ar")
        }
        return
      default: break
      }
    }
    if let mode = values["cm"], mode == "extract" || mode == "pad_extract" {
      guard !resized else {
        spec.warnings.append("ImageKit cm-\(mode) after a resize is not supported and was ignored")
        return
      }
      if mode == "pad_extract" {
        spec.warnings.append("ImageKit cm-pad_extract is read as cm-extract")
      }
      try spec.addCrop(
        try extract(values, width: width, height: height, step: step), parameter: "cm")
      return
    }
    guard width != nil || height != nil else {
      if let focus = values["fo"] { try readFocus(focus, into: &spec) }
      return
    }
    if resized { spec.warnings.append("ImageKit: several resizes; the last one is read") }
    resized = true
    width = try width.map { length throws(SpecError) in
      try ValueReader.scaled(length, by: dpr, parameter: "w", value: String(values["w"] ?? ""))
    }
    height = try height.map { length throws(SpecError) in
      try ValueReader.scaled(length, by: dpr, parameter: "h", value: String(values["h"] ?? ""))
    }
    let mode: ResizeMode
    switch (values["cm"], values["c"] ?? "maintain_ratio") {
    case ("pad_resize"?, _): mode = .pad("ImageKit cm-pad_resize", upscale: true)
    case (let other?, _):
      throw .invalidSpec("cm", String(other), "expected extract, pad_resize or pad_extract")
    case (nil, "maintain_ratio"): mode = .fill(upscale: true)
    case (nil, "force"): mode = .distort("ImageKit c-force", upscale: true)
    case (nil, "at_max"): mode = .bounds(upscale: false)
    case (nil, "at_max_enlarge"): mode = .bounds(upscale: true)
    case (nil, "at_least"): mode = .cover(upscale: true)
    case (nil, let other):
      throw .invalidSpec(
        "c", String(other), "expected maintain_ratio, force, at_max, at_max_enlarge or at_least")
    }
    spec.setURLSize(width: width, height: height, mode: mode)
    if let focus = values["fo"] { try readFocus(focus, into: &spec) }
  }

  private static func length(_ text: Substring?, name: String) throws(SpecError) -> Length? {
    guard let text else { return nil }
    if text.utf8.contains(0x2E) {
      guard let share = FixedPoint.parse(text), share > 0, share < FixedPoint.one else {
        throw .invalidSpec(name, String(text), "expected whole pixels or a share below 1")
      }
      return .share(share)
    }
    guard let pixels = FixedPoint.integer(text), (1...Limits.maxOutputSide).contains(pixels) else {
      throw .invalidSpec(name, String(text), "expected whole pixels 1–\(Limits.maxOutputSide)")
    }
    return .pixels(pixels)
  }

  private static func readFocus(_ focus: Substring, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    if focus == "auto" || focus == "face" {
      spec.anchor = .attention
    } else if let anchor = FillAnchor.compass(focus) {
      spec.anchor = anchor
    } else {
      spec.warnings.append("ImageKit fo-\(focus) is not supported; centred")
    }
  }

  /// `cm-extract`: a `w`×`h` region placed by `x`/`y` (top-left), `xc`/`yc` (centre) or `fo`.
  private static func extract(
    _ values: [Substring: Substring], width: Length?, height: Length?, step: String
  ) throws(SpecError) -> CropRequest {
    guard let width, let height else {
      throw .invalidSpec("cm", step, "cm-extract needs w and h")
    }
    let size = CropRequest.Size.lengths(width: width, height: height)
    func pixels(_ name: Substring) throws(SpecError) -> Int? {
      guard let text = values[name] else { return nil }
      guard let value = FixedPoint.integer(text), value >= 0 else {
        throw .invalidSpec(String(name), String(text), "expected pixels from 0")
      }
      return value
    }
    if let x = try pixels("x"), let y = try pixels("y") {
      return CropRequest(size: size, x: .position(.pixels(x)), y: .position(.pixels(y)))
    }
    return placed(size, focus: values["fo"])
  }

  /// A region of `size` placed by a focus name (`top`, `bottom_right`…; `auto`/`face`: by content).
  private static func placed(_ size: CropRequest.Size, focus: Substring?) -> CropRequest {
    guard let focus else { return CropRequest(size: size) }
    let anchor: FillAnchor =
      focus == "auto" || focus == "face" ? .attention : FillAnchor.compass(focus) ?? .centre
    return CropRequest.placed(size, by: anchor)
  }
}
