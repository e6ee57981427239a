// libvips operations on VipsImage (part of the one libvips wrapper; see Vips.swift).
import CHalftone
import Foundation

// MARK: Geometry

extension VipsImage {
  /// Applies the EXIF orientation to the pixels and removes the tag. Needs random access: use it on
  /// images in memory (or loaded without `access=sequential`).
  public func autorotated() throws(VipsError) -> VipsImage {
    try derive("autorot") { hvips_autorot($0, &$1) }
  }

  /// The same pixels with the EXIF orientation field set to `orientation` (1–8).
  public func withOrientation(_ orientation: Int) throws(VipsError) -> VipsImage {
    try derive("set orientation") { hvips_copy_set_int($0, &$1, "orientation", Int32(orientation)) }
  }

  /// The same pixels with no metadata at all (EXIF, XMP, IPTC, ICC profile, orientation).
  public func withoutMetadata() throws(VipsError) -> VipsImage {
    try derive("remove metadata") { hvips_copy_without_metadata($0, &$1) }
  }

  /// Rotates clockwise by a multiple of 90 degrees.
  public func rotated(degrees: Int) throws(VipsError) -> VipsImage {
    try derive("rot") { hvips_rot($0, &$1, Int32(degrees)) }
  }

  /// Mirrors left-right (`horizontal`) or top-bottom.
  public func flipped(horizontal: Bool) throws(VipsError) -> VipsImage {
    try derive("flip") { hvips_flip($0, &$1, horizontal ? 1 : 0) }
  }

  /// Cuts out a rectangle; it must lie inside the image.
  public func extractArea(x: Int, y: Int, width: Int, height: Int) throws(VipsError) -> VipsImage {
    try derive("extract_area") {
      hvips_extract_area($0, &$1, Int32(x), Int32(y), Int32(width), Int32(height))
    }
  }

  /// Cuts out `width`×`height` starting at a fractional position: output (X, Y) samples this image
  /// at (X + x, Y + y), bicubic, with edge pixels repeated beyond the border.
  public func subpixelExtract(x: Double, y: Double, width: Int, height: Int) throws(VipsError)
    -> VipsImage
  {
    try derive("affine") { hvips_subpixel_extract($0, &$1, x, y, Int32(width), Int32(height)) }
  }

  /// Places the image at (`x`, `y`) of a `width`×`height` canvas, repeating edge pixels outward.
  public func embedRepeatingEdges(x: Int, y: Int, width: Int, height: Int) throws(VipsError)
    -> VipsImage
  {
    try derive("embed") {
      hvips_embed_copy($0, &$1, Int32(x), Int32(y), Int32(width), Int32(height))
    }
  }

  /// Tiles the image `across`×`down` times.
  public func replicated(across: Int, down: Int) throws(VipsError) -> VipsImage {
    try derive("replicate") { hvips_replicate($0, &$1, Int32(across), Int32(down)) }
  }

  /// Lanczos3 resize by independent horizontal and vertical factors. The output is
  /// round(width × hscale) × round(height × vscale).
  public func resized(hscale: Double, vscale: Double) throws(VipsError) -> VipsImage {
    try derive("resize") { hvips_resize($0, &$1, hscale, vscale) }
  }

  /// Content-aware crop to `width`×`height` (libvips smartcrop, attention strategy).
  public func smartcropped(width: Int, height: Int) throws(VipsError) -> VipsImage {
    try derive("smartcrop") { hvips_smartcrop_attention($0, &$1, Int32(width), Int32(height)) }
  }

  /// Computes the whole pipeline into memory. Decoding errors of lazily loaded sources appear here.
  public func materialized() throws(VipsError) -> VipsImage {
    try derive("decode") { hvips_copy_memory($0, &$1) }
  }
}

// MARK: Colour and bands

extension VipsImage {
  /// Converts through the embedded ICC profile to 8-bit sRGB (relative colorimetric intent, as
  /// libvips' own thumbnail does); alpha passes through.
  public func iccTransformedToSRGB() throws(VipsError) -> VipsImage {
    try iccTransformed(to: "srgb", embedded: true)
  }

  /// Converts between ICC profiles, relative colorimetric intent, 8 bits. Profiles are file names
  /// or libvips' built-ins (`"srgb"`, `"cmyk"`, `"p3"`). `inputProfile` is used when the image has
  /// no embedded profile or `embedded` is false (nil: libvips' default for its colourspace).
  public func iccTransformed(
    to outputProfile: String, from inputProfile: String? = nil, embedded: Bool = true
  ) throws(VipsError) -> VipsImage {
    try derive("icc_transform") { input, out in
      hvips_icc_transform(
        input, &out, outputProfile, inputProfile, embedded ? 1 : 0, VIPS_INTENT_RELATIVE, 8)
    }
  }

  /// Converts to another colour space with libvips' built-in rules (CMYK uses its default
  /// profile; 16-bit spaces to sRGB give 8 bits).
  public func converted(to space: VipsColourSpace) throws(VipsError) -> VipsImage {
    try derive("colourspace") { hvips_colourspace($0, &$1, space.cValue) }
  }

  /// The same pixels, read as another colour space (no conversion).
  public func reinterpreted(as space: VipsColourSpace) throws(VipsError) -> VipsImage {
    try derive("copy") { hvips_copy_interpretation($0, &$1, space.cValue) }
  }

  /// Casts band values to another format, clipping.
  public func cast(to format: VipsPixelFormat) throws(VipsError) -> VipsImage {
    try derive("cast") { hvips_cast($0, &$1, format.cValue) }
  }

  /// Drops alpha by compositing onto white.
  public func flattenedOnWhite() throws(VipsError) -> VipsImage {
    try derive("flatten") { hvips_flatten_white($0, &$1) }
  }

  public func premultiplied() throws(VipsError) -> VipsImage {
    try derive("premultiply") { hvips_premultiply($0, &$1) }
  }

  /// Undoes `premultiplied()`; the result is float: cast it back.
  public func unpremultiplied() throws(VipsError) -> VipsImage {
    try derive("unpremultiply") { hvips_unpremultiply($0, &$1) }
  }

  /// Bands `first ..< first + count`.
  public func bands(_ first: Int, count: Int = 1) throws(VipsError) -> VipsImage {
    try derive("extract_band") { hvips_extract_band($0, &$1, Int32(first), Int32(count)) }
  }

  /// Joins images band-wise (all the same size).
  public static func bandjoin(_ images: [VipsImage]) throws(VipsError) -> VipsImage {
    var handles: [UnsafeMutablePointer<_VipsImage>?] = images.map { $0.handle }
    var out: UnsafeMutablePointer<_VipsImage>?
    let status = handles.withUnsafeMutableBufferPointer {
      hvips_bandjoin($0.baseAddress, Int32(images.count), &out)
    }
    withExtendedLifetime(images) {}
    guard status == 0, let out else { throw VipsError.fromBuffer("bandjoin") }
    return VipsImage(taking: out, pinned: images.flatMap { $0.pinned })
  }
}

// MARK: Arithmetic and measurement

extension VipsImage {
  /// `self * a + b`, per band when the arrays have one entry per band. The result is float.
  public func linear(_ a: [Double], _ b: [Double]) throws(VipsError) -> VipsImage {
    guard a.count == b.count, !a.isEmpty else {
      throw VipsError(operation: "linear", message: "a and b need the same, non-zero count")
    }
    return try derive("linear") { input, out in
      hvips_linear(input, &out, a, b, Int32(a.count))
    }
  }

  /// `self * a + b` on every band. The result is float.
  public func linear(_ a: Double, _ b: Double) throws(VipsError) -> VipsImage {
    try linear([a], [b])
  }

  /// Sine of each value, read as degrees.
  public func sinDegrees() throws(VipsError) -> VipsImage {
    try derive("sin") { hvips_math($0, &$1, VIPS_OPERATION_MATH_SIN) }
  }

  /// Cosine of each value, read as degrees.
  public func cosDegrees() throws(VipsError) -> VipsImage {
    try derive("cos") { hvips_math($0, &$1, VIPS_OPERATION_MATH_COS) }
  }

  public static func + (left: VipsImage, right: VipsImage) throws(VipsError) -> VipsImage {
    try left.combine("add", right) { hvips_add($0, $1, &$2) }
  }

  public static func - (left: VipsImage, right: VipsImage) throws(VipsError) -> VipsImage {
    try left.combine("subtract", right) { hvips_subtract($0, $1, &$2) }
  }

  public static func * (left: VipsImage, right: VipsImage) throws(VipsError) -> VipsImage {
    try left.combine("multiply", right) { hvips_multiply($0, $1, &$2) }
  }

  /// The mean of every value of every band (computes the pipeline).
  public func average() throws(VipsError) -> Double {
    var value = 0.0
    guard hvips_avg(handle, &value) == 0 else { throw VipsError.fromBuffer("avg") }
    return value
  }

  /// The band values of one pixel (computes what that pixel needs).
  public func pixel(x: Int, y: Int) throws(VipsError) -> [Double] {
    var values: UnsafeMutablePointer<Double>?
    var count: Int32 = 0
    guard hvips_getpoint(handle, Int32(x), Int32(y), &values, &count) == 0, let values else {
      throw VipsError.fromBuffer("getpoint")
    }
    defer { hvips_free(values) }
    return Array(UnsafeBufferPointer(start: values, count: Int(count)))
  }
}

// MARK: Generators

extension VipsImage {
  /// A black (zero) uchar image.
  public static func black(width: Int, height: Int, bands: Int = 1) throws(VipsError) -> VipsImage {
    try generate("black") { hvips_black(&$0, Int32(width), Int32(height), Int32(bands)) }
  }

  /// Two int bands holding each pixel's x and y.
  public static func xyz(width: Int, height: Int) throws(VipsError) -> VipsImage {
    try generate("xyz") { hvips_xyz(&$0, Int32(width), Int32(height)) }
  }

  /// One float band of gaussian noise; the same seed gives the same pixels.
  public static func gaussianNoise(
    width: Int, height: Int, sigma: Double, mean: Double = 0, seed: Int = 0
  ) throws(VipsError) -> VipsImage {
    try generate("gaussnoise") {
      hvips_gaussnoise(
        &$0, Int32(width), Int32(height), sigma, mean, Int32(truncatingIfNeeded: seed))
    }
  }
}
