/// How the output box treats the region when both a width and a height are asked for.
enum Fit: String, Hashable, Sendable {
  /// Fit inside the box, keeping the region's aspect ratio (Fastly `bounds`, imgix `clip`/`max`,
  /// Photon `fit`, thumbor `fit-in`).
  case bounds
  /// Cover the box, keeping the region's aspect ratio; one side may be larger; nothing is cut.
  case cover
  /// Exactly the box: the region is cut to the box's aspect ratio, then resized (Fastly `crop` and
  /// Fastly's default with both sizes, imgix `crop`/`min`, Photon `resize`).
  case crop
}

/// The output size a spec asks for, before a source is known.
enum OutputSizeRequest: Hashable, Sendable {
  /// The region's own size.
  case natural
  /// This width; the height keeps the region's aspect ratio.
  case width(Length)
  /// This height; the width keeps the region's aspect ratio.
  case height(Length)
  /// Both sides, combined with the region as `fit` says.
  case box(width: Length, height: Length, fit: Fit)

  /// From an optional width and height (shares refer to the region); both → a box with `fit`.
  init(width: Length?, height: Length?, fit: Fit) {
    switch (width, height) {
    case (let width?, let height?): self = .box(width: width, height: height, fit: fit)
    case (let width?, nil): self = .width(width)
    case (nil, let height?): self = .height(height)
    case (nil, nil): self = .natural
    }
  }

  /// True when the region may be cut to a different aspect ratio (so a fill anchor matters).
  var fills: Bool {
    if case .box(_, _, .crop) = self { return true }
    return false
  }

  var keyText: String {
    switch self {
    case .natural: "natural"
    case .width(let width): "w:\(width.keyText)"
    case .height(let height): "h:\(height.keyText)"
    case .box(let width, let height, let fit): "box:\(width.keyText)x\(height.keyText),\(fit)"
    }
  }
}

/// Where the region is cut when the output's aspect ratio asks for less than the whole region.
enum FillAnchor: Hashable, Sendable {
  /// Centred (the default).
  case centre
  /// By content: the plan keeps the region and sets gravity `.attention`.
  case attention
  /// Against edges: `horizontal` −1 left, 0 centre, 1 right; `vertical` −1 top, 0 middle, 1 bottom.
  case edges(horizontal: Int, vertical: Int)
  /// Centred on a focal point given as shares (millionths) of the region's width and height, then
  /// kept inside the region.
  case focalPoint(x: Int, y: Int)
  /// Centred on a point in source pixels (thumbor `filters:focal(…)`, Arc XP `focal=x,y`,
  /// Cloudinary `g_xy_center`), then kept inside the region.
  case focalPixel(x: Int, y: Int)

  /// Each compass name's edges: −1 left or top, 0 centre, 1 right or bottom.
  private static let compassEdges: [String: (Int, Int)] = [
    "north_west": (-1, -1), "northwest": (-1, -1), "top_left": (-1, -1),
    "north": (0, -1), "top": (0, -1),
    "north_east": (1, -1), "northeast": (1, -1), "top_right": (1, -1),
    "west": (-1, 0), "left": (-1, 0),
    "center": (0, 0), "centre": (0, 0), "middle": (0, 0),
    "east": (1, 0), "right": (1, 0),
    "south_west": (-1, 1), "southwest": (-1, 1), "bottom_left": (-1, 1),
    "south": (0, 1), "bottom": (0, 1),
    "south_east": (1, 1), "southeast": (1, 1), "bottom_right": (1, 1),
  ]

  /// A compass direction as several dialects name it (`north_west`, `top_left`, `northwest`,
  /// `left`, `center`…); `nil` for any other name.
  static func compass(_ name: Substring) -> FillAnchor? {
    let words = String(name.lowercased().map { $0 == "-" ? "_" : $0 })
    guard let (horizontal, vertical) = compassEdges[words] else { return nil }
    return FillAnchor.edges(horizontal: horizontal, vertical: vertical).normalised
  }

  var normalised: FillAnchor {
    switch self {
    case .edges(0, 0): .centre
    case .focalPoint(FixedPoint.one / 2, FixedPoint.one / 2): .centre
    default: self
    }
  }

  var keyText: String {
    switch self {
    case .centre: "centre"
    case .attention: "attention"
    case .edges(let horizontal, let vertical): "edges:\(horizontal),\(vertical)"
    case .focalPoint(let x, let y): "focal:\(FixedPoint.text(x)),\(FixedPoint.text(y))"
    case .focalPixel(let x, let y): "focalpx:\(x),\(y)"
    }
  }
}
