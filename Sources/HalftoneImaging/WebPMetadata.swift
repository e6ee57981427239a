import Foundation

/// Removes metadata chunks from an encoded WebP.
///
/// libvips 8.14's webpsave writes an EXIF chunk even with `strip` set and no metadata on the image
/// (it builds a fresh one: orientation, resolution, pixel size). Thumbnails promise no metadata,
/// so the chunk is cut out of the RIFF container here.
enum WebPMetadata {
  /// `webp` without EXIF and XMP chunks, the VP8X flags and RIFF size fixed up. Anything that does
  /// not parse as a RIFF/WEBP container is returned unchanged.
  static func stripped(_ webp: Data) -> Data {
    let bytes = [UInt8](webp)
    guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8),
      bytes[8..<12].elementsEqual("WEBP".utf8)
    else { return webp }

    var chunks: [ArraySlice<UInt8>] = []
    var removed = false
    var offset = 12
    while offset + 8 <= bytes.count {
      let size = Int(littleEndian32(bytes, at: offset + 4))
      let end = offset + 8 + size + (size & 1)  // chunks are padded to an even length
      guard size >= 0, end <= bytes.count || offset + 8 + size == bytes.count else { return webp }
      let chunk = bytes[offset..<min(end, bytes.count)]
      let fourCC = String(decoding: chunk.prefix(4), as: UTF8.self)
      if fourCC == "EXIF" || fourCC == "XMP " {
        removed = true
      } else {
        chunks.append(chunk)
      }
      offset = end
    }
    guard removed, offset >= bytes.count else { return webp }

    var body: [UInt8] = Array("WEBP".utf8)
    for chunk in chunks {
      var chunk = Array(chunk)
      if chunk.starts(with: "VP8X".utf8), chunk.count > 8 {
        chunk[8] &= ~UInt8(0x08 | 0x04)  // the EXIF and XMP presence flags
      }
      body += chunk
    }
    var out: [UInt8] = Array("RIFF".utf8)
    let riffSize = UInt32(body.count)
    out += [
      UInt8(riffSize & 0xFF), UInt8(riffSize >> 8 & 0xFF), UInt8(riffSize >> 16 & 0xFF),
      UInt8(riffSize >> 24),
    ]
    out += body
    return Data(out)
  }

  static func littleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
      | UInt32(bytes[offset + 3]) << 24
  }
}
