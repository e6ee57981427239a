/// Reads WordPress Photon / Jetpack parameters (https://developer.wordpress.com/docs/photon/api/):
/// `crop=x,y,w,h` (percentages, or pixels with a `px` suffix on each number), `resize=W,H`,
/// `fit=W,H`, `w`, `h` (pixels, or `N%`), `zoom` (like `dpr`), `quality`; `strip` and `ssl` are
/// ignored silently.
///
/// Choices: `resize` beats `fit`, which beats `w`/`h`. `w` and `h` together fit inside the box
/// unless `crop=1` asks for exactly W×H. A `crop` outside the image is `crop_out_of_bounds`.
/// Photon never enlarges.
enum PhotonDialect {
  /// Parameter names that mark a query as Photon's (otherwise it belongs to the inner URL).
  static let parameterNames: Set<String> = [
    "w", "h", "resize", "fit", "crop", "quality", "strip", "ssl", "zoom", "lb", "ulb", "filter",
    "brightness", "contrast", "colorize", "smooth",
  ]

  static func read(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec) throws(SpecError) {
    spec.upscale = false
    var zoom = FixedPoint.one
    if let value = bag.take("zoom") { zoom = try ValueReader.dpr(value, parameter: "zoom") }
    var cropToBox = false
    if let value = bag.take("crop") {
      if value == "1" || value == "true" {
        cropToBox = true
      } else {
        spec.crop = try crop(value)
      }
    }
    let width = try bag.take("w").map { value throws(SpecError) in
      try length(value, parameter: "w", zoom: zoom)
    }
    let height = try bag.take("h").map { value throws(SpecError) in
      try length(value, parameter: "h", zoom: zoom)
    }
    spec.urlSize = OutputSizeRequest(
      width: width, height: height, fit: cropToBox ? .crop : .bounds)
    if let value = bag.take("fit") {
      let (boxWidth, boxHeight) = try box(value, parameter: "fit", zoom: zoom)
      spec.urlSize = .box(width: boxWidth, height: boxHeight, fit: .bounds)
    }
    if let value = bag.take("resize") {
      let (boxWidth, boxHeight) = try box(value, parameter: "resize", zoom: zoom)
      spec.urlSize = .box(width: boxWidth, height: boxHeight, fit: .crop)
    }
    if let value = bag.take("quality") {
      spec.quality = try ValueReader.quality(Substring(value), parameter: "quality", whole: value)
    }
    bag.ignore("strip", "ssl")
  }

  /// `crop=x,y,w,h`: each number a percentage, or pixels when it ends in `px`.
  static func crop(_ value: String) throws(SpecError) -> CropRequest? {
    let invalid = SpecError.invalidSpec(
      "crop", value,
      "expected x,y,w,h as percentages (like 10,0,80,100) "
        + "or pixels with px (like 20px,0px,640px,480px)"
    )
    let parts = value.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 4 else { throw invalid }
    var lengths: [Length] = []
    for part in parts {
      guard let length = cropLength(part) else { throw invalid }
      lengths.append(length)
    }
    guard lengths[2] != .pixels(0), lengths[2] != .share(0), lengths[3] != .pixels(0),
      lengths[3] != .share(0)
    else { throw invalid }
    let request = CropRequest(
      size: .lengths(width: lengths[2], height: lengths[3]),
      x: .position(lengths[0]), y: .position(lengths[1]))
    return request.isWholeImage ? nil : request
  }

  private static func cropLength(_ text: Substring) -> Length? {
    if text.hasSuffix("px") { return FixedPoint.integer(text.dropLast(2)).map { .pixels($0) } }
    guard let percent = FixedPoint.parse(text), percent <= 100 * FixedPoint.one else { return nil }
    return .share(roundedQuotient(percent, 100))
  }

  /// `w`/`h`: pixels, or a percentage of the region with `%`.
  private static func length(_ value: String, parameter: String, zoom: Int) throws(SpecError)
    -> Length
  {
    let length: Length?
    if value.hasSuffix("%") {
      length = FixedPoint.parse(value.dropLast()).flatMap { percent in
        percent > 0 && percent <= 100 * FixedPoint.one ? .share(roundedQuotient(percent, 100)) : nil
      }
    } else {
      length = FixedPoint.integer(value).flatMap { $0 > 0 ? .pixels($0) : nil }
    }
    guard let length else {
      throw .invalidSpec(
        parameter, value,
        "expected whole pixels (1–\(Limits.maxOutputSide)) or a percentage like 50%")
    }
    return try ValueReader.scaled(length, by: zoom, parameter: parameter, value: value)
  }

  /// `W,H` in pixels for `resize` and `fit`.
  private static func box(_ value: String, parameter: String, zoom: Int) throws(SpecError)
    -> (Length, Length)
  {
    let parts = value.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 2, let width = FixedPoint.integer(parts[0]), width > 0,
      let height = FixedPoint.integer(parts[1]), height > 0
    else {
      throw .invalidSpec(
        parameter, value, "expected W,H in whole pixels (1–\(Limits.maxOutputSide))")
    }
    return (
      try ValueReader.scaled(.pixels(width), by: zoom, parameter: parameter, value: value),
      try ValueReader.scaled(.pixels(height), by: zoom, parameter: parameter, value: value)
    )
  }

  /// The master behind a Photon URL: `https://` + the path after the wp.com host, with the query
  /// only when none of its names is Photon's (then it belongs to the inner URL).
  static func masterURL(of url: ImageURL, original: String) throws(SpecError) -> String {
    var inner = url.path.drop(while: { $0 == "/" })
    for prefix in ["https://", "http://", "https:/", "http:/"] where inner.hasPrefix(prefix) {
      inner = inner.dropFirst(prefix.count)
      break
    }
    let hostEnd = inner.firstIndex(of: "/") ?? inner.endIndex
    let innerAuthority = String(inner[..<hostEnd])
    guard !innerAuthority.isEmpty, hostEnd < inner.endIndex else {
      throw .invalidURL(original, "a Photon URL needs the image's host and path after \(url.host)")
    }
    _ = try ImageURL.hostName(authority: innerAuthority, url: original)
    var master = "https://" + inner
    if let query = url.query, !ownsQuery(query) { master += "?" + query }
    return master
  }

  /// True when the query has any Photon parameter name.
  static func ownsQuery(_ query: String) -> Bool {
    QueryString.parameters(Substring(query)).contains { parameterNames.contains($0.name) }
  }
}
