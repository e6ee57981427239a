/// Reads thumbor paths (https://thumbor.readthedocs.io/en/latest/usage.html):
/// `/unsafe|<signature>/[trim/][AxB:CxD/][fit-in/][-WxH/][halign/][valign/][smart/]`
/// `[filters:…/]<image>`.
///
/// `AxB:CxD` is a crop by corners in source pixels; `WxH` with 0 or nothing on one side keeps the
/// aspect ratio; `fit-in` fits inside the box, otherwise the box is filled exactly (cut by
/// `halign`/`valign`, or by content with `smart`). Filters read: `quality(N)`, `format(F)`,
/// `upscale()`, `no_upscale()`; `strip_icc()`/`strip_exif()` silently; others are warned about.
/// Choices: never enlarge unless `filters:upscale()`; flips (negative sizes) and `trim` are ignored
/// with a warning; an image path without a scheme is fetched over https.
enum ThumborDialect {
  /// True for thumbor paths (see `signatureSegment(path:)`).
  static func looksLikeThumbor(path: String) -> Bool { signatureSegment(path: path) != nil }

  /// The index of the path segment holding `unsafe` or a thumbor signature (28 base64url
  /// characters ending in `=`): the first segment, or — behind a prefix such as Vox Media's
  /// `/thumbor/` or Arc XP's `/resizer/` — the second or third when the segment after it is a
  /// thumbor option (`AxB:CxD`, `WxH`, `fit-in`, `trim`, `smart`, `filters:…`).
  static func signatureSegment(path: String) -> Int? {
    let segments = path.utf8.split(separator: 0x2F, maxSplits: 5, omittingEmptySubsequences: false)
      .map(Substring.init)
    guard segments.count >= 3, segments[0].isEmpty else { return nil }
    if segments[1] == "unsafe" || isSignature(segments[1]) { return 1 }
    for index in 2...3 where index + 1 < segments.count {
      if segments[index] == "unsafe" || isSignature(segments[index]),
        isOptionShape(segments[index + 1])
      {
        return index
      }
    }
    return nil
  }

  private static func isOptionShape(_ segment: Substring) -> Bool {
    switch segment {
    case "fit-in", "adaptive-fit-in", "full-fit-in", "trim", "smart": return true
    default: break
    }
    if segment.hasPrefix("filters:") || segment.hasPrefix("trim:") { return true }
    // `WxH` or `AxB:CxD` (the part before a colon decides): two sides around one `x`, each
    // digits after optional `-` signs (flips), at least one side written. Read as bytes: this
    // runs for every URL's path during detection.
    var separators = 0
    var atSideStart = true
    var written = false
    for byte in segment.utf8 {
      if byte == 0x3A { break }
      if byte == 0x78 {
        separators += 1
        if separators > 1 { return false }
        atSideStart = true
        continue
      }
      written = true
      if byte == 0x2D, atSideStart { continue }
      atSideStart = false
      guard (0x30...0x39).contains(byte) else { return false }
    }
    return separators == 1 && written
  }

  private static func isSignature(_ text: Substring) -> Bool {
    let bytes = text.utf8
    guard bytes.count == 28, bytes.last == 0x3D else { return false }
    return bytes.dropLast().allSatisfy { byte in
      (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
        || byte == 0x2D || byte == 0x5F
    }
  }

  /// Reads a full thumbor URL: options into `spec`, the image URL as its master.
  static func read(_ url: ImageURL, original: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    let start = signatureSegment(path: url.path) ?? 1
    var segments = url.path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false)
      .map(Substring.init).dropFirst(start + 1)
    var warnings: [String] = []
    try readOptions(&segments, into: &spec, warnings: &warnings)
    spec.warnings += warnings
    spec.masterURL = try imageURL(
      segments.joined(separator: "/"), query: url.query, original: original)
  }

  /// Reads a bare options path (`fit-in/640x480/filters:quality(80)`), as `--spec` gives it.
  static func readOptions(_ text: String, into spec: inout ThumbnailSpec) throws(SpecError) {
    var segments = text.split(separator: "/", omittingEmptySubsequences: true)[...]
    if segments.first == "unsafe" { segments = segments.dropFirst() }
    var warnings: [String] = []
    try readOptions(&segments, into: &spec, warnings: &warnings)
    spec.warnings += warnings
    if let leftover = segments.first {
      throw .invalidSpec("thumbor", String(leftover), "not a thumbor option in this position")
    }
  }

  /// `halign`: `left` −1, `center` 0, `right` 1.
  private static func horizontalAlignment(_ segment: Substring) -> Int? {
    switch segment {
    case "left": -1
    case "center": 0
    case "right": 1
    default: nil
    }
  }

  /// `valign`: `top` −1, `middle` 0, `bottom` 1.
  private static func verticalAlignment(_ segment: Substring) -> Int? {
    switch segment {
    case "top": -1
    case "middle": 0
    case "bottom": 1
    default: nil
    }
  }

  private static func readOptions(
    _ segments: inout ArraySlice<Substring>, into spec: inout ThumbnailSpec,
    warnings: inout [String]
  ) throws(SpecError) {
    spec.upscale = false
    if let segment = segments.first, segment == "trim" || segment.hasPrefix("trim:") {
      warnings.append("thumbor \(segment) is not supported and was ignored")
      segments.removeFirst()
    }
    if let segment = segments.first, let crop = try corners(segment) {
      spec.crop = crop.isWholeImage ? nil : crop
      segments.removeFirst()
    } else if segments.first == "0x0:0x0" {
      segments.removeFirst()
    }
    var fitIn = false
    if let segment = segments.first,
      segment == "fit-in" || segment == "adaptive-fit-in" || segment == "full-fit-in"
    {
      if segment != "fit-in" { warnings.append("thumbor \(segment) is read as fit-in") }
      fitIn = true
      segments.removeFirst()
    }
    var width: Length?
    var height: Length?
    if let segment = segments.first, let size = try size(segment, warnings: &warnings) {
      (width, height) = size
      segments.removeFirst()
    }
    spec.urlSize = OutputSizeRequest(width: width, height: height, fit: fitIn ? .bounds : .crop)
    var horizontal = 0
    var vertical = 0
    if let segment = segments.first, let align = horizontalAlignment(segment) {
      horizontal = align
      segments.removeFirst()
    }
    if let segment = segments.first, let align = verticalAlignment(segment) {
      vertical = align
      segments.removeFirst()
    }
    spec.anchor = FillAnchor.edges(horizontal: horizontal, vertical: vertical).normalised
    if segments.first == "smart" {
      spec.anchor = .attention
      segments.removeFirst()
    }
    if let segment = segments.first, segment.hasPrefix("filters:") {
      try readFilters(segment.dropFirst("filters:".count), into: &spec, warnings: &warnings)
      segments.removeFirst()
    }
  }

  /// `AxB:CxD` → a crop from (A,B) to (C,D); `nil` when the segment is not corners.
  private static func corners(_ segment: Substring) throws(SpecError) -> CropRequest? {
    guard segment.utf8.count(where: { $0 == 0x3A }) == 1 else { return nil }
    let numbers = segment.pixelNumbers()
    guard numbers.count == 4 else { return nil }
    let values = numbers.compactMap { $0 }
    guard values.count == 4 else { return nil }
    if values == [0, 0, 0, 0] { return nil }
    let (left, top, right, bottom) = (values[0], values[1], values[2], values[3])
    guard right > left, bottom > top else {
      throw .invalidSpec(
        "crop", String(segment), "expected left x top : right x bottom, right > left, bottom > top")
    }
    return CropRequest(
      size: .lengths(width: .pixels(right - left), height: .pixels(bottom - top)),
      x: .position(.pixels(left)), y: .position(.pixels(top)))
  }

  /// `WxH`, `-WxH`, `Wx`, `xH`, `0x0`: `nil` when the segment is not a size.
  private static func size(_ segment: Substring, warnings: inout [String]) throws(SpecError)
    -> (Length?, Length?)?
  {
    let sides = segment.split(separator: "x", omittingEmptySubsequences: false)
    guard sides.count == 2 else { return nil }
    var lengths: [Length?] = []
    for side in sides {
      var digits = side
      if digits.hasPrefix("-") {
        warnings.append("thumbor flip in \(segment) is not supported and was ignored")
        digits = digits.dropFirst()
      }
      if digits.isEmpty {
        lengths.append(nil)
        continue
      }
      guard let pixels = FixedPoint.integer(digits) else { return nil }
      guard pixels <= Limits.maxOutputSide else {
        throw .invalidSpec(
          "size", String(segment), "sides must be at most \(Limits.maxOutputSide) pixels")
      }
      lengths.append(pixels == 0 ? nil : .pixels(pixels))
    }
    return (lengths[0], lengths[1])
  }

  private static func readFilters(
    _ text: Substring, into spec: inout ThumbnailSpec, warnings: inout [String]
  ) throws(SpecError) {
    var rest = text
    while !rest.isEmpty {
      guard let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")")
      else {
        throw .invalidSpec("filters", String(text), "expected name(arguments):name(arguments)…")
      }
      let name = rest[..<open]
      let argument = String(rest[rest.index(after: open)..<close])
      rest = rest[rest.index(after: close)...]
      if rest.hasPrefix(":") { rest = rest.dropFirst() }
      switch name {
      case "quality":
        spec.quality = try ValueReader.quality(
          Substring(argument), parameter: "quality", whole: argument)
      case "format":
        switch argument.lowercased() {
        case "jpeg", "jpg": spec.format = .jpeg
        case "png": spec.format = .png
        case "webp": spec.format = .webp
        case "avif": spec.format = .avif
        case "gif":
          spec.format = .png
          warnings.append("thumbor format(gif) is written as png")
        default: throw .invalidSpec("format", argument, "expected jpeg, png, webp, avif or gif")
        }
      case "focal":
        spec.anchor = try focalPoint(argument)
      case "upscale": spec.upscale = true
      case "no_upscale": spec.upscale = false
      case "strip_icc", "strip_exif": break
      default:
        warnings.append("thumbor filter \(name)(\(argument)) is not supported and was ignored")
      }
    }
  }

  /// `focal(AxB:CxD)`: the centre of that box in source pixels (or `focal(XxY)`, a point).
  private static func focalPoint(_ argument: String) throws(SpecError) -> FillAnchor {
    let numbers = argument.pixelNumbers()
    guard numbers.count == 4 || numbers.count == 2, numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else {
      throw .invalidSpec("focal", argument, "expected focal(AxB:CxD) in source pixels")
    }
    let values = numbers.map { $0! }
    if values.count == 2 { return .focalPixel(x: values[0], y: values[1]) }
    return .focalPixel(x: (values[0] + values[2]) / 2, y: (values[1] + values[3]) / 2)
  }

  /// The image part of the path as an absolute URL (percent-decoded when it was encoded whole).
  private static func imageURL(_ text: String, query: String?, original: String)
    throws(SpecError) -> String
  {
    guard !text.isEmpty else {
      throw .invalidURL(original, "a thumbor URL needs the image URL after its options")
    }
    var image = text
    if image.hasPrefixIgnoringCase("http%3a") || image.hasPrefixIgnoringCase("https%3a") {
      image = QueryString.percentDecoded(Substring(image))
    }
    if let query { image += "?" + query }
    if let colon = image.firstIndex(of: ":"), image[colon...].hasPrefix("://") {
      _ = try ImageURL.parse(image)
      return image
    }
    image = "https://" + image
    _ = try ImageURL.parse(image)
    return image
  }
}
