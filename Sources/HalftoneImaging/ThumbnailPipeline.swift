import Foundation
import HalftoneSpec

/// One render: shrink-on-load → crop → resize (stored orientation) → sRGB → decode → turn to
/// display orientation → smartcrop → encode.
///
/// Work happens in stored orientation so the expensive steps run on a streamed, reduced decode and
/// only the small result is turned. Everything up to `materialized()` is lazy: that is where the
/// source is decoded and where damaged data surfaces.
struct ThumbnailPipeline {
  let source: OpenedSource
  let plan: ThumbnailPlan

  func run() throws(ImagingError) -> Thumbnail {
    try validatePlan()
    let orientation = try resolvedOrientation()
    let display = orientation.displaySize(
      storedWidth: source.storedWidth, storedHeight: source.storedHeight)
    let region = plan.region
    // Written as subtractions: plans come from URLs, and x + width could overflow.
    guard region.x >= 0, region.y >= 0, region.width <= display.width - region.x,
      region.height <= display.height - region.y
    else {
      throw .outOfBounds(
        "crop region \(region) (width x height + x + y) does not fit the \(display.width)x"
          + "\(display.height) source (display orientation)")
    }
    // Size to resize the region to (display orientation): the output itself, or for attention
    // the smallest size covering the output, which smartcrop then trims.
    let target = resizeTarget()
    let storedRegion = orientation.storedRect(
      for: region, storedWidth: source.storedWidth, storedHeight: source.storedHeight)
    let storedTarget: (Int, Int) =
      orientation.swapsAxes ? (target.height, target.width) : (target.width, target.height)

    let shrink = ShrinkOnLoad.choose(
      format: source.format, region: storedRegion, targetWidth: storedTarget.0,
      targetHeight: storedTarget.1, storedHeight: source.storedHeight)
    let loaded = try step(.corruptImage, "cannot open the \(source.format.rawValue) source") {
      () throws(VipsError) in try VipsImage(pinned: source.bytes, options: shrink.loaderOptions)
    }
    let small = try step(.imaging, "cannot build the crop and resize") {
      () throws(VipsError) in
      try toSRGB8(
        cropAndResize(
          loaded, region: storedRegion, shrink: shrink, width: storedTarget.0,
          height: storedTarget.1))
    }
    var image = try step(.corruptImage, "cannot decode the \(source.format.rawValue) source") {
      () throws(VipsError) in try small.materialized()
    }
    image = try step(.imaging, "cannot finish the thumbnail") { () throws(VipsError) in
      var image = image
      if orientation.value != 1 {
        image = try image.withOrientation(orientation.value).autorotated()
      }
      if target != (plan.width, plan.height) {
        image = try image.smartcropped(width: plan.width, height: plan.height)
      }
      if image.hasAlpha && plan.format == .jpeg { image = try image.flattenedOnWhite() }
      // Savers are also told to strip, but webpsave on 8.14 writes EXIF regardless.
      return try image.withoutMetadata()
    }
    guard image.width == plan.width, image.height == plan.height else {
      throw .imaging(
        "internal size error: made \(image.width)x\(image.height) for a \(plan.width)x"
          + "\(plan.height) plan")
    }
    let bytes = try step(.imaging, "cannot encode \(plan.format.rawValue)") {
      () throws(VipsError) in try encode(image)
    }
    return Thumbnail(bytes: bytes, width: plan.width, height: plan.height, format: plan.format)
  }

  // MARK: Steps

  /// Crops `region` (stored pixels) out of the shrunk decode and resizes it to exactly
  /// `width`×`height`. The region's edges rarely fall on whole pixels of a shrunk decode (x 175
  /// at shrink 2 is 87.5): a sub-pixel shift keeps the result aligned with a full-size
  /// crop-then-resize (measured: 43 dB with rounding vs 50 dB shifted, seed case, shrink 2).
  func cropAndResize(
    _ loaded: VipsImage, region: PixelRect, shrink: ShrinkOnLoad, width: Int, height: Int
  ) throws(VipsError) -> VipsImage {
    // Decoded pixels per stored pixel. A JPEG shrink of s gives ceil(stored / s) pixels, each
    // averaging an s×s block; libwebp's scaler maps the whole width onto the decoded width.
    let (fx, fy): (Double, Double) =
      shrink.jpegShrink > 1
      ? (1 / Double(shrink.jpegShrink), 1 / Double(shrink.jpegShrink))
      : (
        Double(loaded.width) / Double(source.storedWidth),
        Double(loaded.height) / Double(source.storedHeight)
      )
    let (x, y) = (Double(region.x) * fx, Double(region.y) * fy)
    let (w, h) = (Double(region.width) * fx, Double(region.height) * fy)

    var image = loaded
    let alpha = loaded.hasAlpha
    let format = loaded.pixelFormat
    // Resampling colour next to transparent pixels needs premultiplied alpha, or dark fringes.
    if alpha { image = try image.premultiplied() }

    let cropWidth = Int((w - 1e-6).rounded(.up))
    let cropHeight = Int((h - 1e-6).rounded(.up))
    // Output pixels per decoded pixel: a misalignment of δ decoded pixels ends up δ·scale output
    // pixels off. Under `negligibleShift` rounding is invisible and saves the shift's convolutions.
    let (hscale, vscale) = (Double(width) / w, Double(height) / h)
    if Self.shiftError(x) * hscale < Self.negligibleShift
      && Self.shiftError(y) * vscale < Self.negligibleShift
    {
      let (left, top) = (Int(x.rounded()), Int(y.rounded()))
      image = try image.extractArea(
        x: left, y: top, width: min(cropWidth, loaded.width - left),
        height: min(cropHeight, loaded.height - top))
    } else {
      image = try image.subpixelExtract(x: x, y: y, width: cropWidth, height: cropHeight)
    }
    // A decode already at the output scale (WebP scaled on load) misses it only by the rounding of
    // the decoded size: resampling by 0.9998 would cost a full Lanczos3 pass to move pixels less
    // than half a pixel at the far edge (measured: PSNR within 0.1 dB either way).
    let nearlyUnscaled =
      abs(w - Double(width)) < Self.negligibleScaleError
      && abs(h - Double(height)) < Self.negligibleScaleError
    if !nearlyUnscaled { image = try image.resized(hscale: hscale, vscale: vscale) }
    // Rounding in resize can leave a pixel more or less than asked: trim or repeat the edge.
    if image.width != width || image.height != height {
      if image.width < width || image.height < height {
        image = try image.embedRepeatingEdges(
          x: 0, y: 0, width: max(width, image.width), height: max(height, image.height))
      }
      image = try image.extractArea(x: 0, y: 0, width: width, height: height)
    }
    if alpha { image = try image.unpremultiplied().cast(to: format) }
    return image
  }

  /// Converts to 8-bit sRGB: through the embedded ICC profile when there is one (CMYK without one
  /// through libvips' built-in CMYK profile), else with libvips' rules (16-bit scaled down, grey
  /// expanded). Relative colorimetric throughout: `colourspace` alone would take CMYK through a
  /// different intent (measured: a blue 60,100,160 came back as 39,102,156).
  func toSRGB8(_ input: VipsImage) throws(VipsError) -> VipsImage {
    var image = input
    if image.hasICCProfile || image.colourSpace == .cmyk {
      let fallback = image.colourSpace == .cmyk ? "cmyk" : nil
      // A broken embedded profile is not worth failing the image for: fall back below.
      if let transformed = try? image.iccTransformed(to: "srgb", from: fallback) {
        image = transformed
      }
    }
    if image.colourSpace != .srgb || image.pixelFormat != .uchar {
      image = try image.converted(to: .srgb)
    }
    if image.pixelFormat != .uchar { image = try image.cast(to: .uchar) }
    return image
  }

  func encode(_ image: VipsImage) throws(VipsError) -> Data {
    switch plan.format {
    case .jpeg:
      try image.jpegData(quality: plan.quality, progressive: plan.progressive)
    case .webp:
      WebPMetadata.stripped(try image.webpData(quality: plan.quality))
    case .avif:
      try image.avifData(quality: plan.quality)
    case .png:
      try image.pngData()
    }
  }

  // MARK: Checks

  func validatePlan() throws(ImagingError) {
    let maxSide = Thumbnailer.maxOutputSide
    guard (1...maxSide).contains(plan.width), (1...maxSide).contains(plan.height) else {
      throw .imaging(
        "invalid plan: output \(plan.width)x\(plan.height) must be 1–\(maxSide) on each side")
    }
    guard plan.region.width > 0, plan.region.height > 0 else {
      throw .imaging("invalid plan: crop region \(plan.region) is empty")
    }
    guard (1...100).contains(plan.quality) else {
      throw .imaging("invalid plan: quality \(plan.quality) is not 1–100")
    }
  }

  func resolvedOrientation() throws(ImagingError) -> ExifOrientation {
    switch plan.orientation {
    case .exif: return source.orientation
    case .fixed(let value):
      guard let orientation = ExifOrientation(value) else {
        throw .imaging("invalid plan: orientation \(value) is not 1–8")
      }
      return orientation
    }
  }

  /// The output size, or for `.attention` the region scaled to cover it.
  func resizeTarget() -> (width: Int, height: Int) {
    guard plan.gravity == .attention else { return (plan.width, plan.height) }
    let scale = max(
      Double(plan.width) / Double(plan.region.width),
      Double(plan.height) / Double(plan.region.height))
    return (
      max(plan.width, Int((Double(plan.region.width) * scale).rounded())),
      max(plan.height, Int((Double(plan.region.height) * scale).rounded()))
    )
  }

  /// Output pixels of misalignment below which the crop origin is rounded instead of shifted.
  /// A twentieth of a pixel moves a value by a twentieth of the local difference between pixels.
  static let negligibleShift = 0.05

  /// Output pixels of size difference (crop at decode scale vs output) below which the crop is used
  /// as it is: no pixel moves by more than this, most by far less.
  static let negligibleScaleError = 0.5

  /// How far `value` is from the nearest whole pixel.
  static func shiftError(_ value: Double) -> Double { abs(value - value.rounded()) }

  /// Runs a libvips step, turning its failure into an ImagingError of `kind`.
  func step<T>(_ kind: ErrorKind, _ what: String, _ body: () throws(VipsError) -> T)
    throws(ImagingError) -> T
  {
    do { return try body() } catch {
      throw ImagingError(kind: kind, message: "\(what): \(error.message)")
    }
  }
}
