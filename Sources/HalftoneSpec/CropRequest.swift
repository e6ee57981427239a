/// A region to cut from an image (a `crop` or `precrop`), in the image's own coordinates.
struct CropRequest: Hashable, Sendable {
  enum Size: Hashable, Sendable {
    case lengths(width: Length, height: Length)
    /// The largest region of this aspect ratio.
    case ratio(AspectRatio)
    /// The image less these edges, in pixels (Cloudflare `trim=top;right;bottom;left`); the
    /// crop's position is the left and top inset.
    case insets(top: Int, right: Int, bottom: Int, left: Int)
  }

  var size: Size
  var x: Placement = .centred
  var y: Placement = .centred
  /// Choose the region by content (Fastly `smart`): the plan keeps the whole (pre)cropped image
  /// with gravity `.attention`, and only this crop's aspect ratio shapes the output.
  var smart = false
  /// Keep the intersection with the image instead of failing when the region sticks out.
  var safe = false

  init(
    size: Size, x: Placement = .centred, y: Placement = .centred, smart: Bool = false,
    safe: Bool = false
  ) {
    self.size = size
    self.x = x.normalised
    self.y = y.normalised
    self.smart = smart
    self.safe = safe
  }

  /// True when this crop keeps the whole image (`100p,100p`), so it can be dropped.
  var isWholeImage: Bool {
    guard !smart, case .lengths(let width, let height) = size, width.isWhole, height.isWhole
    else { return false }
    let nearEdge = Placement.position(.pixels(0))
    return (x == .centred || x == nearEdge) && (y == .centred || y == nearEdge)
  }

  /// The region this crop selects inside `image` (a rectangle in source pixels).
  /// Sizes and positions given as shares refer to `image`'s width and height; offsets are from
  /// `image`'s top-left corner. A region sticking out of `image` is `crop_out_of_bounds` unless
  /// `safe`, which keeps the intersection (and fails only when nothing is left).
  func region(in image: PixelRect, parameter: String, dialect: Dialect) throws(SpecError)
    -> PixelRect
  {
    let (width, height) = pixelSize(in: image)
    let left = x.offset(cropLength: width, imageLength: image.width)
    let top = y.offset(cropLength: height, imageLength: image.height)
    let wanted = PixelRect(x: image.x + left, y: image.y + top, width: width, height: height)
    let fits =
      left >= 0 && top >= 0 && left + width <= image.width && top + height <= image.height
    if fits { return wanted }
    if safe, let inside = wanted.intersection(image) { return inside }
    throw SpecError.cropOutOfBounds(
      parameter, region: wanted, image: image,
      hint: dialect == .fastly ? "add ',safe' to keep only the part inside" : nil)
  }

  private func pixelSize(in image: PixelRect) -> (Int, Int) {
    switch size {
    case .lengths(let width, let height):
      return (max(1, width.pixels(of: image.width)), max(1, height.pixels(of: image.height)))
    case .insets(let top, let right, let bottom, let left):
      return (max(1, image.width - left - right), max(1, image.height - top - bottom))
    case .ratio(let ratio):
      // Wider image than the ratio: full height; otherwise full width.
      if image.width * ratio.height >= image.height * ratio.width {
        let width = roundedQuotient(image.height * ratio.width, ratio.height)
        return (min(image.width, max(1, width)), image.height)
      }
      let height = roundedQuotient(image.width * ratio.height, ratio.width)
      return (image.width, min(image.height, max(1, height)))
    }
  }

  /// The region's size in pixels when it is known without the source (pixel lengths, not safe,
  /// not smart), used to tell when upscaling cannot happen.
  var knownPixelSize: (width: Int, height: Int)? {
    guard !safe, !smart, case .lengths(.pixels(let width), .pixels(let height)) = size else {
      return nil
    }
    return (width, height)
  }

  var keyText: String {
    var text: String
    switch size {
    case .lengths(let width, let height): text = "\(width.keyText),\(height.keyText)"
    case .ratio(let ratio): text = "ratio\(ratio.keyText)"
    case .insets(let top, let right, let bottom, let left):
      text = "insets\(top),\(right),\(bottom),\(left)"
    }
    text += "@\(x.keyText),\(y.keyText)"
    if smart { text += ",smart" }
    if safe { text += ",safe" }
    return text
  }
}

extension PixelRect {
  /// The overlap of two rectangles, `nil` when they do not overlap.
  func intersection(_ other: PixelRect) -> PixelRect? {
    let left = max(x, other.x)
    let top = max(y, other.y)
    let right = min(x + width, other.x + other.width)
    let bottom = min(y + height, other.y + other.height)
    guard right > left, bottom > top else { return nil }
    return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
  }
}
