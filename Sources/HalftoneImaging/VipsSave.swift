// Encoders to memory for the thumbnailer's output formats (part of the one libvips wrapper; see
// Vips.swift). Saving computes the pipeline, so decoding errors of lazily loaded sources can appear
// here too.
import CHalftone
import Foundation

extension VipsImage {
  /// JPEG. `strip` drops all metadata (EXIF, ICC, XMP).
  public func jpegData(
    quality: Int, progressive: Bool = false, optimizeCoding: Bool = true, strip: Bool = true
  ) throws(VipsError) -> Data {
    try save("jpegsave") { image, bytes, length in
      hvips_jpegsave(
        image, bytes, length, Int32(quality), optimizeCoding ? 1 : 0, progressive ? 1 : 0,
        strip ? 1 : 0)
    }
  }

  /// WebP, lossy unless `lossless`. `effort` 0 (fast) – 6 (small).
  public func webpData(
    quality: Int, lossless: Bool = false, effort: Int = 4, strip: Bool = true
  ) throws(VipsError) -> Data {
    try save("webpsave") { image, bytes, length in
      hvips_webpsave(
        image, bytes, length, Int32(quality), lossless ? 1 : 0, Int32(effort), strip ? 1 : 0)
    }
  }

  /// AVIF (HEIF container, AV1). `effort` 0 (fast) – 9 (small); AV1 encoding is slow.
  public func avifData(quality: Int, effort: Int = 2, strip: Bool = true) throws(VipsError) -> Data
  {
    try save("heifsave(av1)") { image, bytes, length in
      hvips_avifsave(image, bytes, length, Int32(quality), Int32(effort), strip ? 1 : 0)
    }
  }

  /// PNG. `bitDepth` 8 or 16, or nil to follow the image's format.
  public func pngData(compression: Int = 6, bitDepth: Int? = nil, strip: Bool = true)
    throws(VipsError) -> Data
  {
    try save("pngsave") { image, bytes, length in
      hvips_pngsave(image, bytes, length, Int32(compression), Int32(bitDepth ?? 0), strip ? 1 : 0)
    }
  }

  /// Runs a saver and takes ownership of the buffer libvips allocated (freed with g_free).
  package func save(
    _ operation: String,
    _ call: (
      Handle, UnsafeMutablePointer<UnsafeMutableRawPointer?>,
      UnsafeMutablePointer<Int>
    ) -> Int32
  ) throws(VipsError) -> Data {
    var bytes: UnsafeMutableRawPointer?
    var length = 0
    guard call(handle, &bytes, &length) == 0, let bytes else {
      throw VipsError.fromBuffer(operation)
    }
    return Data(
      bytesNoCopy: bytes, count: length,
      deallocator: .custom { pointer, _ in
        hvips_free(pointer)
      })
  }
}
