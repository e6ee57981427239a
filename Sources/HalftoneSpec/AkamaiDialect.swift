/// Reads Akamai Image & Video Manager query transformations on any host
/// (https://techdocs.akamai.com/ivm/docs/imquery,
/// https://techdocs.akamai.com/ivm/docs/use-query-string-param-to-change-images):
/// `?imwidth=W` (a width; Akamai serves its nearest policy width, never larger than the image)
/// and `?im=<Transformation>,<name>=<value>,…;<Transformation>…`, applied in order.
///
/// Read: `Resize` (`width`, `height` or `Resize=(W,H)`; `aspect=fit` (the default) fits inside,
/// `aspect=fill` fills the box, `aspect=ignore` is read as a fill (Halftone does not distort);
/// `type=downsize` never enlarges, `normal` and `upsize` may), `Crop` (`rect=(x,y,w,h)` in
/// source pixels, or `size=(w,h)` / `width`,`height` centred), `AspectCrop=(W,H)` with
/// `xPosition`/`yPosition` (0–1), `Quality=Q`, `Format=jpeg|png|webp|avif`. Other
/// transformations are named in a warning. At most `maxTransformations`.
enum AkamaiDialect {
  static let maxTransformations = 32

  static func matches(_ names: Set<String>) -> Bool {
    names.contains("imwidth") || names.contains("im")
  }

  static func read(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec) throws(SpecError) {
    spec.upscale = false
    if let value = bag.take("imwidth") {
      guard let pixels = FixedPoint.integer(value), (1...Limits.maxOutputSide).contains(pixels)
      else {
        throw .invalidSpec("imwidth", value, "expected whole pixels 1–\(Limits.maxOutputSide)")
      }
      spec.urlSize = .width(.pixels(pixels))
    }
    if let value = bag.take("im") { try readTransformations(value, into: &spec) }
  }

  /// `Resize,width=480;Crop,rect=(0,0,100,100)`.
  static func readTransformations(_ text: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    let transformations = splitOutsideParentheses(Substring(text), by: UInt8(ascii: ";"))
    guard transformations.count <= maxTransformations else {
      throw .invalidSpec(
        "im", "\(transformations.count) transformations",
        "more than \(maxTransformations) transformations in one im parameter")
    }
    for transformation in transformations where !transformation.isEmpty {
      var parts = splitOutsideParentheses(transformation, by: UInt8(ascii: ","))
      var name = parts.removeFirst()
      var arguments: [Substring: Substring] = [:]
      if let (head, value) = name.keyValue("=") {
        name = head
        arguments[""] = value
      }
      for part in parts {
        guard let (key, value) = part.keyValue("=") else {
          throw .invalidSpec("im", String(transformation), "expected Name,key=value,…")
        }
        arguments[key] = value
      }
      try apply(name, arguments, whole: String(transformation), into: &spec)
    }
  }

  private static func apply(
    _ name: Substring, _ arguments: [Substring: Substring], whole: String,
    into spec: inout ThumbnailSpec
  ) throws(SpecError) {
    switch name {
    case "Resize":
      var width = try arguments["width"].map { text throws(SpecError) in try side(text, whole) }
      var height = try arguments["height"].map { text throws(SpecError) in try side(text, whole) }
      if let pair = arguments[""] {
        let values = try tuple(pair, count: 2, whole: whole)
        (width, height) = (try side(values[0], whole), try side(values[1], whole))
      }
      let upscale = arguments["type"] != "downsize"
      let mode: ResizeMode
      switch arguments["aspect"] ?? "fit" {
      case "fit": mode = .bounds(upscale: upscale)
      case "fill": mode = .fill(upscale: upscale)
      case "ignore": mode = .distort("Akamai Resize aspect=ignore", upscale: upscale)
      case let other: throw .invalidSpec("aspect", String(other), "expected fit, fill or ignore")
      }
      spec.setURLSize(
        width: width.map { .pixels($0) }, height: height.map { .pixels($0) }, mode: mode)
    case "Crop":
      if let rect = arguments["rect"] {
        let values = try tuple(rect, count: 4, whole: whole).map { text throws(SpecError) in
          try number(text, whole)
        }
        guard values[2] > 0, values[3] > 0 else {
          throw .invalidSpec("im", whole, "a crop needs a positive width and height")
        }
        try spec.addCrop(
          CropRequest(
            size: .lengths(width: .pixels(values[2]), height: .pixels(values[3])),
            x: .position(.pixels(values[0])), y: .position(.pixels(values[1]))),
          parameter: "im")
      } else {
        var sides: [Substring] = []
        if let size = arguments["size"] ?? arguments[""] {
          sides = try tuple(size, count: 2, whole: whole)
        } else if let width = arguments["width"], let height = arguments["height"] {
          sides = [width, height]
        } else {
          throw .invalidSpec("im", whole, "Crop needs rect=(x,y,w,h) or size=(w,h)")
        }
        try spec.addCrop(
          CropRequest(
            size: .lengths(
              width: .pixels(try side(sides[0], whole)), height: .pixels(try side(sides[1], whole)))
          ),
          parameter: "im")
      }
    case "AspectCrop":
      guard let pair = arguments[""] ?? arguments["size"] else {
        throw .invalidSpec("im", whole, "AspectCrop needs =(W,H)")
      }
      let values = try tuple(pair, count: 2, whole: whole)
      guard let width = FixedPoint.parse(values[0]), let height = FixedPoint.parse(values[1]),
        let ratio = AspectRatio(widthMillionths: width, heightMillionths: height)
      else { throw .invalidSpec("im", whole, "AspectCrop needs a positive ratio like (16,9)") }
      func position(_ key: Substring) throws(SpecError) -> Placement {
        guard let text = arguments[key] else { return .centred }
        guard let share = ValueReader.unitFraction(text) else {
          throw .invalidSpec("im", whole, "\(key) must be 0–1")
        }
        return .leftover(share)
      }
      try spec.addCrop(
        CropRequest(
          size: .ratio(ratio), x: try position("xPosition"), y: try position("yPosition")),
        parameter: "im")
    case "Quality":
      guard let value = arguments[""] ?? arguments["quality"] else {
        throw .invalidSpec("im", whole, "Quality needs a value")
      }
      spec.quality = try ValueReader.quality(value, parameter: "im", whole: whole)
    case "Format":
      switch (arguments[""] ?? arguments["format"] ?? "").lowercased() {
      case "jpeg", "jpg": spec.format = .jpeg
      case "png": spec.format = .png
      case "webp": spec.format = .webp
      case "avif": spec.format = .avif
      default: throw .invalidSpec("im", whole, "Format must be jpeg, png, webp or avif")
      }
    default:
      spec.warnings.append("Akamai im=\(whole) is not supported and was ignored")
    }
  }

  private static func side(_ text: Substring, _ whole: String) throws(SpecError) -> Int {
    guard let pixels = FixedPoint.integer(text), (1...Limits.maxOutputSide).contains(pixels) else {
      throw .invalidSpec("im", whole, "sizes must be whole pixels 1–\(Limits.maxOutputSide)")
    }
    return pixels
  }

  private static func number(_ text: Substring, _ whole: String) throws(SpecError) -> Int {
    guard let value = FixedPoint.integer(text), value >= 0 else {
      throw .invalidSpec("im", whole, "crop values must be whole pixels from 0")
    }
    return value
  }

  /// `(a,b,…)` with exactly `count` values.
  private static func tuple(_ text: Substring, count: Int, whole: String) throws(SpecError)
    -> [Substring]
  {
    guard text.hasPrefix("("), text.hasSuffix(")") else {
      throw .invalidSpec(
        "im", whole, "expected (\(Array(repeating: "n", count: count).joined(separator: ",")))")
    }
    let values = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
    guard values.count == count else {
      throw .invalidSpec("im", whole, "expected \(count) values in parentheses")
    }
    return values.map { Substring(String($0).trimmingSpaces) }
  }

  /// Splits at `separator` (ASCII) where no parenthesis is open; scanned as UTF-8 bytes (the
  /// delimiters are ASCII, so each split is at a character boundary).
  private static func splitOutsideParentheses(_ text: Substring, by separator: UInt8)
    -> [Substring]
  {
    var parts: [Substring] = []
    var depth = 0
    var start = text.startIndex
    let bytes = text.utf8
    var index = bytes.startIndex
    while index < bytes.endIndex {
      switch bytes[index] {
      case UInt8(ascii: "("): depth += 1
      case UInt8(ascii: ")"): depth = max(0, depth - 1)
      case separator where depth == 0:
        parts.append(text[start..<index])
        start = bytes.index(after: index)
      default: break
      }
      index = bytes.index(after: index)
    }
    parts.append(text[start...])
    return parts
  }
}
