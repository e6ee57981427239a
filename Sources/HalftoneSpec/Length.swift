/// A length along one axis of an image: whole pixels, or a share of a reference length on that axis
/// (the image being cropped, or the region being resized).
enum Length: Hashable, Sendable {
  case pixels(Int)
  /// A share of the reference length in millionths: 500_000 is half. Fastly `0.5` and `50p`, imgix
  /// `0.5` and Photon `50` (percent) all read to `.share(500_000)`.
  case share(Int)

  /// Whole pixels for this length on an axis `reference` pixels long, rounded to the nearest pixel.
  func pixels(of reference: Int) -> Int {
    switch self {
    case .pixels(let pixels): pixels
    case .share(let share): roundedQuotient(reference * share, FixedPoint.one)
    }
  }

  /// True for a share of 100 %.
  var isWhole: Bool { self == .share(FixedPoint.one) }

  /// Canonical-key text: `px640` or `r0.5`.
  var keyText: String {
    switch self {
    case .pixels(let pixels): "px\(pixels)"
    case .share(let share): "r\(FixedPoint.text(share))"
    }
  }
}

/// An aspect ratio, reduced so that `16:9`, `32:18` and `1.6:0.9` are equal.
struct AspectRatio: Hashable, Sendable {
  private(set) var width: Int
  private(set) var height: Int

  /// From millionths (as `FixedPoint.parse` returns them); `nil` when either side is zero.
  init?(widthMillionths: Int, heightMillionths: Int) {
    guard widthMillionths > 0, heightMillionths > 0 else { return nil }
    let divisor = greatestCommonDivisor(widthMillionths, heightMillionths)
    width = widthMillionths / divisor
    height = heightMillionths / divisor
  }

  /// Reads `W:H` (decimals allowed).
  init?(text: Substring) {
    let sides = text.split(separator: ":", omittingEmptySubsequences: false)
    guard sides.count == 2, let width = FixedPoint.parse(sides[0]),
      let height = FixedPoint.parse(sides[1])
    else { return nil }
    self.init(widthMillionths: width, heightMillionths: height)
  }

  var keyText: String { "\(width):\(height)" }
}

/// Where a crop sits along one axis of the image it is cut from.
enum Placement: Hashable, Sendable {
  /// Centred in the leftover space (the default everywhere).
  case centred
  /// The crop's near edge (left or top) this far from the image's near edge.
  case position(Length)
  /// A share of the leftover space (image length − crop length) before the crop, in millionths:
  /// 0 is the near edge, 1_000_000 the far edge. Fastly `offset-xN` is `.leftover(N × 10_000)`.
  case leftover(Int)

  /// The same placement in its simplest form, so equal placements have equal keys: a leftover of
  /// 50 % is centred, a leftover of 0 and a share of 0 are position 0 px.
  var normalised: Placement {
    switch self {
    case .leftover(FixedPoint.one / 2): .centred
    case .leftover(0), .position(.share(0)): .position(.pixels(0))
    default: self
    }
  }

  /// The near-edge offset in pixels for a crop `cropLength` long in an image `imageLength` long.
  func offset(cropLength: Int, imageLength: Int) -> Int {
    switch self {
    case .centred: flooredQuotient(imageLength - cropLength, 2)
    case .position(let length): length.pixels(of: imageLength)
    case .leftover(let share): roundedQuotient((imageLength - cropLength) * share, FixedPoint.one)
    }
  }

  var keyText: String {
    switch self {
    case .centred: "c"
    case .position(let length): length.keyText
    case .leftover(let share): "o\(FixedPoint.text(share))"
    }
  }
}
