/// Reads Contentful's Images API (https://www.contentful.com/developers/docs/references/images-api/):
/// `images.ctfassets.net/<space>/<asset>/<token>/<name>?w=&h=&fit=&f=&q=&fm=&fl=`.
///
/// Without `fit`, the image fits inside `w`×`h` (the documented default); `fit=fill` fills the
/// box and may enlarge (the only mode documented to); `fit=thumb` fills it around the focus
/// area; `fit=crop` cuts a `w`×`h` region of the original at the focus area, unresized;
/// `fit=pad` and `fit=scale` are read as fit-inside and fill (Halftone neither pads nor
/// distorts; a warning says so). `f` (focus): `center`, `top`, `right`, `left`, `bottom`,
/// `top_right`, `top_left`, `bottom_right`, `bottom_left`, `face`, `faces` (cut by content). `w`
/// and `h` are at most 4000 px. `r` (radius) and `bg` are named in a warning.
enum ContentfulDialect {
  static let maxSide = 4000

  static func matches(_ url: ImageURL) -> Bool {
    switch url.host {
    case "images.ctfassets.net", "images.eu.ctfassets.net", "images.contentful.com": true
    default: false
    }
  }

  static func read(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec) throws(SpecError) {
    func side(_ name: String) throws(SpecError) -> Int? {
      guard let value = bag.take(name) else { return nil }
      guard let pixels = FixedPoint.integer(value), (1...maxSide).contains(pixels) else {
        throw .invalidSpec(name, value, "expected whole pixels 1–\(maxSide)")
      }
      return pixels
    }
    let width = try side("w")
    let height = try side("h")
    let focus = bag.take("f")
    let fit = bag.take("fit")
    if fit == "crop" {
      let region = CropRequest.Size.lengths(
        width: width.map { .pixels($0) } ?? .share(FixedPoint.one),
        height: height.map { .pixels($0) } ?? .share(FixedPoint.one))
      try spec.addCrop(try cropRequest(region, focus: focus), parameter: "fit")
      spec.upscale = false
    } else {
      let mode: ResizeMode
      switch fit {
      case nil: mode = .bounds(upscale: false)
      case "fill": mode = .fill(upscale: true)
      case "thumb": mode = .fill(upscale: false)
      case "pad": mode = .pad("Contentful fit=pad", upscale: false)
      case "scale": mode = .distort("Contentful fit=scale", upscale: false)
      case let other?:
        throw .invalidSpec("fit", other, "expected pad, fill, scale, crop or thumb")
      }
      spec.setURLSize(
        width: width.map { .pixels($0) }, height: height.map { .pixels($0) }, mode: mode)
      if let focus { spec.anchor = try anchor(focus) }
    }
    if let value = bag.take("q") {
      spec.quality = try ValueReader.quality(Substring(value), parameter: "q", whole: value)
    }
    let progressive = bag.take("fl") == "progressive"
    if let value = bag.take("fm") {
      switch value {
      case "jpg": spec.format = .jpeg
      case "png": spec.format = .png
      case "webp": spec.format = .webp
      case "avif": spec.format = .avif
      case "gif":
        spec.format = .png
        bag.warn("fm=gif is written as png")
      default: throw .invalidSpec("fm", value, "expected jpg, png, webp, avif or gif")
      }
    }
    spec.progressive = progressive
    for name in ["r", "bg"] {
      if let value = bag.take(name) {
        bag.warn("\(name)=\(value) is not supported and was ignored")
      }
    }
  }

  private static func anchor(_ focus: String) throws(SpecError) -> FillAnchor {
    if focus == "face" || focus == "faces" { return .attention }
    guard let anchor = FillAnchor.compass(Substring(focus)) else {
      throw .invalidSpec(
        "f", focus,
        "expected center, top, right, left, bottom, top_right, top_left, bottom_right, "
          + "bottom_left, face or faces")
    }
    return anchor
  }

  private static func cropRequest(_ size: CropRequest.Size, focus: String?) throws(SpecError)
    -> CropRequest
  {
    guard let focus else { return CropRequest(size: size) }
    return CropRequest.placed(size, by: try anchor(focus))
  }
}
