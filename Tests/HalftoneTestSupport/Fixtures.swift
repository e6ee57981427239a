import Foundation
import HalftoneImaging

/// Test images generated at test time with libvips: nothing large is committed, nothing is fetched.
///
/// The "photo" is deterministic and has structure at several scales (gradients across the frame,
/// waves of 43–311 px, a fine noise texture), so a crop that is off by a few pixels scores clearly
/// lower in PSNR than the right one. Generation failing means libvips itself is broken: the
/// helpers stop the test run with the libvips message rather than make every caller handle it.
public enum Fixtures {
  // MARK: Photo-like images

  /// The upright photo-like image, in memory (sRGB, 8-bit, 3 bands).
  public static func photoImage(width: Int, height: Int) -> VipsImage {
    must("photo \(width)x\(height)") { () throws(VipsError) in
      try PhotoPattern.image(width: width, height: height).materialized()
    }
  }

  /// A photo-like baseline JPEG (no EXIF, no ICC). Cached per size and quality for the process.
  public static func photoJPEG(width: Int, height: Int, quality: Int = 90) -> Data {
    cache.value(for: "photo.jpg \(width)x\(height) q\(quality)") {
      must("photo JPEG") { () throws(VipsError) in
        try photoImage(width: width, height: height).jpegData(quality: quality)
      }
    }
  }

  /// The photo as a progressive (interlaced) JPEG.
  public static func photoProgressiveJPEG(width: Int, height: Int, quality: Int = 90) -> Data {
    cache.value(for: "photo-progressive.jpg \(width)x\(height) q\(quality)") {
      must("progressive JPEG") { () throws(VipsError) in
        try photoImage(width: width, height: height).jpegData(quality: quality, progressive: true)
      }
    }
  }

  /// A JPEG whose *displayed* image (after applying `orientation`) is `photoImage(width:height:)`:
  /// the pixels are stored turned the other way and tagged with the EXIF orientation (1–8).
  public static func orientedJPEG(
    width: Int, height: Int, orientation: Int, quality: Int = 90
  ) -> Data {
    cache.value(for: "oriented.jpg \(width)x\(height) o\(orientation) q\(quality)") {
      must("oriented JPEG") { () throws(VipsError) in
        // autorot(stored tagged o) = display, so stored = autorot(display tagged inverse(o)).
        // Every orientation is its own inverse except the quarter turns 6 and 8.
        let inverse = orientation == 6 ? 8 : orientation == 8 ? 6 : orientation
        let stored = try photoImage(width: width, height: height)
          .withOrientation(inverse).autorotated().materialized()
        return try stored.withOrientation(orientation).jpegData(quality: quality, strip: false)
      }
    }
  }

  /// The photo as lossy WebP.
  public static func photoWebP(width: Int, height: Int, quality: Int = 90) -> Data {
    must("WebP") { () throws(VipsError) in
      try photoImage(width: width, height: height).webpData(quality: quality)
    }
  }

  /// The photo as an uncompressed TIFF.
  public static func photoTIFF(width: Int, height: Int) -> Data {
    must("TIFF") { () throws(VipsError) in try photoImage(width: width, height: height).tiffData() }
  }

  /// The photo as a GIF (256-colour palette, so expect some quantisation loss).
  public static func photoGIF(width: Int, height: Int) -> Data {
    must("GIF") { () throws(VipsError) in try photoImage(width: width, height: height).gifData() }
  }

  /// The photo as 8-bit PNG.
  public static func photoPNG(width: Int, height: Int) -> Data {
    must("PNG") { () throws(VipsError) in try photoImage(width: width, height: height).pngData() }
  }

  /// The photo as a 16-bit PNG (RGB16, or RGBA16 with a constant alpha of 65535 when `alpha`).
  public static func photoPNG16(width: Int, height: Int, alpha: Bool = false) -> Data {
    must("16-bit PNG") { () throws(VipsError) in
      var image = try photoImage(width: width, height: height).linear(257, 0)
      if alpha {
        let opaque = try VipsImage.black(width: width, height: height).linear(0, 65535)
        image = try VipsImage.bandjoin([image, opaque])
      }
      return try image.cast(to: .ushort).reinterpreted(as: .rgb16).pngData(bitDepth: 16)
    }
  }

  /// The photo as AVIF (slow to encode: keep it small).
  public static func photoAVIF(width: Int, height: Int, quality: Int = 80) -> Data {
    must("AVIF") { () throws(VipsError) in
      try photoImage(width: width, height: height).avifData(quality: quality)
    }
  }

  /// The photo as HEIC (HEVC).
  public static func photoHEIC(width: Int, height: Int, quality: Int = 80) -> Data {
    must("HEIC") { () throws(VipsError) in
      try photoImage(width: width, height: height).heicData(quality: quality)
    }
  }

  // MARK: Colour and alpha

  /// A CMYK JPEG whose left half is the sRGB colour `left` and right half `right`, converted with
  /// libvips' built-in CMYK profile (relative colorimetric, so in-gamut colours come back within a
  /// few levels). With `embedProfile` false the profile is stripped, so a reader must assume one.
  public static func cmykJPEG(
    width: Int, height: Int, left: [UInt8], right: [UInt8], embedProfile: Bool = true
  ) -> Data {
    must("CMYK JPEG") { () throws(VipsError) in
      try twoColourImage(width: width, height: height, left: left, right: right)
        .iccTransformed(to: "cmyk", from: "srgb").jpegData(quality: 95, strip: !embedProfile)
    }
  }

  /// An RGBA PNG: the left half opaque `colour`, the right half fully transparent black (so a
  /// reader that drops alpha instead of flattening onto white shows black there).
  public static func pngWithAlpha(width: Int, height: Int, colour: [UInt8] = [30, 120, 200])
    -> Data
  {
    must("PNG with alpha") { () throws(VipsError) in
      try twoColourImage(width: width, height: height, left: colour + [255], right: [0, 0, 0, 0])
        .pngData()
    }
  }

  /// An image whose left half (x < width / 2) is `left` and the rest `right` (3 or 4 bands).
  public static func twoColourImage(width: Int, height: Int, left: [UInt8], right: [UInt8])
    throws(VipsError) -> VipsImage
  {
    let half = width / 2
    var row: [UInt8] = []
    row.reserveCapacity(width * left.count)
    for x in 0..<width { row += x < half ? left : right }
    return try VipsImage(pixels: row, width: width, height: 1, bands: left.count)
      .replicated(across: 1, down: height).materialized()
  }

  // MARK: Bad inputs

  /// The first `fraction` of a photo JPEG: a download cut short.
  public static func truncatedJPEG(width: Int, height: Int, fraction: Double = 0.5) -> Data {
    let whole = photoJPEG(width: width, height: height)
    return whole.prefix(Int(Double(whole.count) * fraction))
  }

  /// An HTML error page, as CDNs return with status 200 under an image's name.
  public static let htmlErrorPage = Data(
    """
    <!DOCTYPE html>
    <html><head><title>404 Not Found</title></head>
    <body><h1>Not Found</h1><p>The requested image was not found.</p></body></html>
    """.utf8)

  // MARK: Plumbing

  static let cache = FixtureCache()

  /// Runs a generator, stopping the test run with libvips' message if libvips fails.
  static func must<T>(_ what: String, _ body: () throws(VipsError) -> T) -> T {
    do { return try body() } catch {
      fatalError("fixture \(what) could not be generated: \(error)")
    }
  }
}

/// Generated fixtures, kept for the life of the test process (several tests share a master).
final class FixtureCache: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [String: Data] = [:]

  func value(for key: String, make: () -> Data) -> Data {
    if let hit = lock.withLock({ entries[key] }) { return hit }
    // Made outside the lock: two threads may both make it, which is only wasted work.
    let made = make()
    lock.withLock { entries[key] = made }
    return made
  }
}
