/// # Output size rules
///
/// How a spec and a source become a region and an output size (`ThumbnailSpec.plan(for:)`).
/// All sizes are in display-oriented source pixels (EXIF orientation already applied).
///
/// 1. **Region.** `precrop` is applied to the whole image, then `crop` to the precropped image
///    (the whole image when there is no crop). Shares (`0.5`, `50p`, Photon percentages, imgix
///    fractions) are of the image being cut and round to the nearest pixel; positions are from its
///    top-left corner; Fastly `offset-xN` places the crop N % into the leftover space; the default
///    placement is centred; a ratio alone (`16:9`) takes the largest region of that ratio. A region
///    sticking out of the image is `crop_out_of_bounds`, unless `safe`, which keeps the
///    intersection. A content-aware crop (Fastly `smart`) shapes the output like the centred
///    region of its ratio would, but the plan keeps the whole (pre)cropped image with gravity
///    `.attention`.
/// 2. **Output size.** The record's declared width and height win when both are given (exactly
///    that box, as rule 3 cuts it). One declared dimension alone acts like a URL width or height
///    alone (the URL's own size is then not read). Otherwise the URL's width and height, multiplied
///    by `dpr` (Photon `zoom`); shares of width and height refer to the region. One alone keeps the
///    region's aspect ratio. Both, by `fit`: `bounds` fits inside the box, `cover` covers it (one
///    side may be larger, nothing is cut), `crop` is exactly W×H (rule 3). Fastly with both and no
///    `fit` is exactly W×H, never distorted: read as `crop`. imgix `clip` (default) and `max` are
///    `bounds`; `crop`, `min`, and `fill`/`scale` (with a warning) are `crop`. Photon `resize` is
///    `crop`, `fit` and `w`+`h` are `bounds`. thumbor `WxH` is `crop`, `fit-in/WxH` is `bounds`.
///    No size at all: the region's size.
/// 3. **Fill, never distort.** When an exact box's aspect ratio differs from the region's by more
///    than rounding (neither the height computed from the box width and the region's aspect ratio
///    nor the width computed from the box height is within 1 px of the box), the region is cut to
///    the box's aspect ratio: centred within the region (gravity `.centre`), or against the edges
///    or around the focal point the URL names (imgix `crop=top…`, `focalpoint`; thumbor
///    `halign`/`valign`). When the URL asks for content-aware cutting (Fastly `smart`, imgix
///    `crop=faces|entropy|edges`, thumbor `smart`) the region is kept and gravity is
///    `.attention`. Within rounding, the region is kept and resized to exactly the box.
/// 4. **Never enlarge** unless the URL enables it: Fastly `enable=upscale`; imgix `fit=clip`
///    (its default), `crop`, `fill`, `scale` (not `max`, `min`), as imgix does; thumbor
///    `filters:upscale()`; Photon and unknown hosts never. Without it, an output larger than the
///    region (in either dimension) is scaled down uniformly until it fits the region, keeping the
///    output's aspect ratio, rounding to the nearest pixel, at least 1 px.
/// 5. **Bounds.** Width and height from the URL or the record are 1–8192 px after `dpr`, else
///    `invalid_spec` (shares are checked once the region is known); `quality` 1–100; `dpr` 1–10
///    (decimals allowed, like 1.5). An output that would still exceed 8192 px on a side (a region
///    larger than 8192 px with no size, or an enlarged derived side) is scaled down uniformly to
///    fit 8192×8192.
/// 6. **Seed.** `crop=3104,2328,x175,y0&quality=50&width=640` on a 3279×2328 JPEG with declared
///    640×480 → region 3104x2328+175+0, output 640×480, quality 50, gravity centre, JPEG.
///    `crop=6015,3372,x0,y0&width=660&height=372&format=pjpg&auto=webp` declared 660×372: 6015/3372
///    and 660/372 differ by more than rounding, so the region is cut to 5983×3372 (3372 high,
///    round(3372·660/372) = 5983 wide), centred at x = 16.
enum SizeRules {
  /// The region to sample, the exact output size and the gravity, for a region already cut by
  /// `precrop`/`crop` (rule 1).
  struct Geometry: Equatable {
    var region: PixelRect
    var width: Int
    var height: Int
    var gravity: Gravity
  }

  /// Rules 2–5 for `region`. `smartBase` is the (pre)cropped image a content-aware crop chooses
  /// from (rule 1), `nil` for an ordinary crop.
  static func geometry(
    region: PixelRect, request: OutputSizeRequest, anchor: FillAnchor, smartBase: PixelRect?,
    upscale: Bool
  ) throws(SpecError) -> Geometry {
    var (width, height) = try requestedSize(request, region: region)
    var geometry = Geometry(region: region, width: width, height: height, gravity: .centre)
    if request.fills, differsBeyondRounding(width: width, height: height, region: region) {
      if smartBase != nil || anchor == .attention {
        geometry.gravity = .attention
      } else {
        geometry.region = cut(region, toWidth: width, height: height, anchor: anchor)
      }
    }
    if let smartBase {
      geometry.region = smartBase
      geometry.gravity = .attention
    } else if anchor == .attention && request.fills {
      geometry.gravity = .attention
    }
    if !upscale, width > geometry.region.width || height > geometry.region.height {
      (width, height) = scaledToFit(
        width: width, height: height, box: (geometry.region.width, geometry.region.height))
    }
    if width > Limits.maxOutputSide || height > Limits.maxOutputSide {
      (width, height) = scaledToFit(
        width: width, height: height, box: (Limits.maxOutputSide, Limits.maxOutputSide))
    }
    geometry.width = width
    geometry.height = height
    return geometry
  }

  /// Rule 2: the size asked for, before the fill and enlargement rules.
  private static func requestedSize(_ request: OutputSizeRequest, region: PixelRect)
    throws(SpecError) -> (Int, Int)
  {
    let (regionWidth, regionHeight) = (region.width, region.height)
    switch request {
    case .natural:
      return (regionWidth, regionHeight)
    case .width(let length):
      let width = try pixels(length, of: regionWidth, parameter: "width")
      return (width, max(1, roundedQuotient(width * regionHeight, regionWidth)))
    case .height(let length):
      let height = try pixels(length, of: regionHeight, parameter: "height")
      return (max(1, roundedQuotient(height * regionWidth, regionHeight)), height)
    case .box(let widthLength, let heightLength, let fit):
      let width = try pixels(widthLength, of: regionWidth, parameter: "width")
      let height = try pixels(heightLength, of: regionHeight, parameter: "height")
      // Width binds when width/regionWidth <= height/regionHeight.
      let widthBinds = width * regionHeight <= height * regionWidth
      switch fit {
      case .crop:
        return (width, height)
      case .bounds where widthBinds, .cover where !widthBinds:
        return (width, max(1, roundedQuotient(width * regionHeight, regionWidth)))
      case .bounds, .cover:
        return (max(1, roundedQuotient(height * regionWidth, regionHeight)), height)
      }
    }
  }

  /// A requested length in pixels, checked against the 1–8192 bound (rule 5).
  private static func pixels(_ length: Length, of reference: Int, parameter: String)
    throws(SpecError) -> Int
  {
    let pixels = length.pixels(of: reference)
    guard (1...Limits.maxOutputSide).contains(pixels) else {
      throw .invalidSpec(
        parameter, length.keyText,
        "resolves to \(pixels) pixels for a \(reference)-pixel side; "
          + "must be 1–\(Limits.maxOutputSide)"
      )
    }
    return pixels
  }

  /// Rule 3's test: the box is not the region's aspect ratio rounded from either side.
  static func differsBeyondRounding(width: Int, height: Int, region: PixelRect) -> Bool {
    // |width·rh/rw − height| > 1  ⇔  |width·rh − height·rw| > rw, and
    // |height·rw/rh − width| > 1  ⇔  |width·rh − height·rw| > rh: both must hold.
    let difference = abs(width * region.height - height * region.width)
    return difference > max(region.width, region.height)
  }

  /// Rule 3: the largest part of `region` with the aspect ratio `width`:`height`, placed by
  /// `anchor`.
  static func cut(_ region: PixelRect, toWidth width: Int, height: Int, anchor: FillAnchor)
    -> PixelRect
  {
    var cut = region
    if region.width * height > width * region.height {
      cut.width = min(region.width, max(1, roundedQuotient(region.height * width, height)))
    } else {
      cut.height = min(region.height, max(1, roundedQuotient(region.width * height, width)))
    }
    let (horizontal, vertical) = offsets(for: anchor, region: region, cut: cut)
    cut.x = region.x + horizontal
    cut.y = region.y + vertical
    return cut
  }

  private static func offsets(for anchor: FillAnchor, region: PixelRect, cut: PixelRect)
    -> (Int, Int)
  {
    let spareWidth = region.width - cut.width
    let spareHeight = region.height - cut.height
    switch anchor {
    case .centre, .attention:
      return (spareWidth / 2, spareHeight / 2)
    case .edges(let horizontal, let vertical):
      return (spareWidth * (horizontal + 1) / 2, spareHeight * (vertical + 1) / 2)
    case .focalPoint(let x, let y):
      let centreX = roundedQuotient(region.width * x, FixedPoint.one)
      let centreY = roundedQuotient(region.height * y, FixedPoint.one)
      return (
        min(spareWidth, max(0, centreX - cut.width / 2)),
        min(spareHeight, max(0, centreY - cut.height / 2))
      )
    case .focalPixel(let x, let y):
      return (
        min(spareWidth, max(0, x - region.x - cut.width / 2)),
        min(spareHeight, max(0, y - region.y - cut.height / 2))
      )
    }
  }

  /// Rules 4 and 5: `width`×`height` scaled down uniformly to fit `box`, rounded, at least 1 px.
  static func scaledToFit(width: Int, height: Int, box: (width: Int, height: Int)) -> (Int, Int) {
    guard width > box.width || height > box.height else { return (width, height) }
    if box.width * height <= box.height * width {
      return (box.width, max(1, roundedQuotient(height * box.width, width)))
    }
    return (max(1, roundedQuotient(width * box.height, height)), box.height)
  }
}
