/// Reads Arc XP's resizer v2 (https://dev.arcxp.com/photo-center/image-resizer/resizer-v2-how-to-transform-images/,
/// the v1 → v2 table at https://dev.arcxp.com/photo-center/image-resizer/resizer-v1-to-v2-redirects/):
/// `/resizer/v2/[<slug>-]<id>.<ext>?auth=…&width=&height=&crop=X,Y:W,H&fitfill=true&smart=true&
/// focal=x,y&quality=&format=`. (Resizer v1 is thumbor behind `/resizer/`: `ThumborDialect`.)
///
/// `width` and `height` together fill the box (as thumbor's `WxH`), `fitfill=true` fits inside
/// it; `focal` is a point in source pixels, `smart=true` cuts by content; never enlarges. The
/// master of an Arc id is not in the URL, so the URL is fetched as written and the record's
/// declared size wins; when the path holds an encoded external URL instead, that is the master.
enum ArcResizerDialect {
  static let prefix = "/resizer/v2/"

  static func matches(_ url: ImageURL) -> Bool {
    url.path.hasPrefix(prefix) && url.path.count > prefix.count
  }

  static func read(_ url: ImageURL, original: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    let name = url.path.dropFirst(prefix.count)
    let lowered = name.lowercased()
    if lowered.hasPrefix("http%3a") || lowered.hasPrefix("https%3a") {
      spec.masterURL = try EmbeddedURL.resolve(
        String(name), base: url, parameter: "resizer path", original: original)
    } else {
      spec.masterURL = ""  // not derivable: the URL as written is the only candidate
    }
    var bag = try ParameterBag(QueryString.parameters(Substring(url.query ?? "")))
    try readOptions(&bag, into: &spec)
    spec.warnings += bag.finalWarnings(dialect: .arc)
  }

  static func readOptions(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    bag.ignore("auth")
    func pixels(_ name: String) throws(SpecError) -> Length? {
      guard let value = bag.take(name) else { return nil }
      guard let number = FixedPoint.integer(value), (1...Limits.maxOutputSide).contains(number)
      else { throw .invalidSpec(name, value, "expected whole pixels 1–\(Limits.maxOutputSide)") }
      return .pixels(number)
    }
    let width = try pixels("width")
    let height = try pixels("height")
    let fitIn = bag.take("fitfill") == "true"
    spec.setURLSize(
      width: width, height: height, mode: fitIn ? .bounds(upscale: false) : .fill(upscale: false))
    if let value = bag.take("crop") { try spec.addCrop(try crop(value), parameter: "crop") }
    if let value = bag.take("focal") {
      let parts = value.split(separator: ",", omittingEmptySubsequences: false)
      guard parts.count == 2, let x = FixedPoint.integer(parts[0]),
        let y = FixedPoint.integer(parts[1]), x >= 0, y >= 0
      else { throw .invalidSpec("focal", value, "expected x,y in source pixels") }
      spec.anchor = .focalPixel(x: x, y: y)
    }
    if bag.take("smart") == "true" { spec.anchor = .attention }
    if let value = bag.take("quality") {
      spec.quality = try ValueReader.quality(Substring(value), parameter: "quality", whole: value)
    }
    if let value = bag.take("format") {
      switch value.lowercased() {
      case "jpg", "jpeg": spec.format = .jpeg
      case "png": spec.format = .png
      case "webp": spec.format = .webp
      case "avif": spec.format = .avif
      default: throw .invalidSpec("format", value, "expected jpg, png, webp or avif")
      }
    }
  }

  /// `crop=X,Y:W,H` in source pixels.
  private static func crop(_ value: String) throws(SpecError) -> CropRequest {
    let halves = value.split(separator: ":", omittingEmptySubsequences: false)
    let numbers = halves.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
      .map { FixedPoint.integer($0) }
    guard halves.count == 2, numbers.count == 4, numbers.allSatisfy({ ($0 ?? -1) >= 0 }),
      numbers[2]! > 0, numbers[3]! > 0
    else { throw .invalidSpec("crop", value, "expected X,Y:W,H in source pixels") }
    return CropRequest(
      size: .lengths(width: .pixels(numbers[2]!), height: .pixels(numbers[3]!)),
      x: .position(.pixels(numbers[0]!)), y: .position(.pixels(numbers[1]!)))
  }
}
