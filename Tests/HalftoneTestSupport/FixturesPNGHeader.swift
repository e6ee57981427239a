import Foundation

extension Fixtures {
  /// A tiny PNG whose IHDR declares `width`×`height` (8-bit RGB) followed by an IDAT holding only
  /// 16 zero bytes: a pixel bomb that can only be refused from its header. (libpng, which Debian's
  /// libvips uses, wants an IDAT before IEND even to read the header.)
  public static func pngHeaderOnly(width: UInt32, height: UInt32) -> Data {
    var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var header = Data()
    header.append(bigEndian: width)
    header.append(bigEndian: height)
    // Bit depth 8, colour type 2 (RGB), compression 0, filter 0, interlace 0.
    header.append(contentsOf: [8, 2, 0, 0, 0])
    png.append(chunk: "IHDR", header)
    // zlib.compress(bytes(16)): a valid stream, far too short for the declared rows.
    png.append(
      chunk: "IDAT", Data([0x78, 0x9C, 0x63, 0x60, 0x40, 0x05, 0x00, 0x00, 0x10, 0x00, 0x01]))
    png.append(chunk: "IEND", Data())
    return png
  }

  /// CRC-32 (ISO 3309, as PNG chunks use) of `bytes`.
  static func crc32<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }
}

extension Data {
  fileprivate mutating func append(bigEndian value: UInt32) {
    Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
  }

  /// Appends a PNG chunk: length, type, data, CRC of type + data.
  fileprivate mutating func append(chunk type: String, _ body: Data) {
    append(bigEndian: UInt32(body.count))
    let typed = Data(type.utf8) + body
    append(typed)
    append(bigEndian: Fixtures.crc32(typed))
  }
}
