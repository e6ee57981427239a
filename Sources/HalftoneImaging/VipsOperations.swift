// libvips operations on VipsImage (part of the one libvips wrapper; see Vips.swift): the ones the
// thumbnailer's pipeline runs.
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

// MARK: Colour, format and alpha

extension VipsImage {
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

  /// Casts band values to another format, clipping.
  public func cast(to format: VipsPixelFormat) throws(VipsError) -> VipsImage {
    try derive("cast") { hvips_cast($0, &$1, format.cValue) }
  }

  /// Drops alpha by compositing onto white.
  public func flattenedOnWhite() throws(VipsError) -> VipsImage {
    try derive("flatten") { hvips_flatten_white($0, &$1) }
  }

  /// Multiplies colour by alpha, so resampling does not bleed the colour of transparent pixels.
  public func premultiplied() throws(VipsError) -> VipsImage {
    try derive("premultiply") { hvips_premultiply($0, &$1) }
  }

  /// Undoes `premultiplied()`; the result is float: cast it back.
  public func unpremultiplied() throws(VipsError) -> VipsImage {
    try derive("unpremultiply") { hvips_unpremultiply($0, &$1) }
  }
}
