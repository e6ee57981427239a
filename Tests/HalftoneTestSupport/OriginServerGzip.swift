import Foundation

/// gzip bodies for the test origin, written by hand (Foundation on Linux has no zlib API).
public enum OriginGzip {
  /// A gzip member that decompresses to `prefix` followed by zeros, `decodedSize` bytes in all,
  /// at roughly 160:1 (fixed-Huffman DEFLATE: one 13-bit match per 258 zeros). With a PNG
  /// signature as `prefix` the decoded body even sniffs as an image, so only a byte limit on
  /// DECODED bytes stops it.
  public static func bomb(decodedSize: Int, prefix: [UInt8] = []) -> Data {
    precondition(decodedSize > prefix.count, "decodedSize must leave room for at least one zero")
    var bits = BitWriter()
    bits.write(1, count: 1)  // BFINAL
    bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
    for byte in prefix { bits.writeLiteral(byte) }
    bits.writeLiteral(0)  // the zero every match copies (distance 1)
    var remaining = decodedSize - prefix.count - 1
    while remaining >= 258 {
      bits.writeCode(0xC5, length: 8)  // length symbol 285 = 258 bytes, no extra bits
      bits.writeCode(0, length: 5)  // distance code 0 = distance 1
      remaining -= 258
    }
    for _ in 0..<remaining { bits.writeLiteral(0) }
    bits.writeCode(0, length: 7)  // end of block (symbol 256)
    var crc = CRC32()
    crc.update(prefix)
    crc.updateZeros(decodedSize - prefix.count)
    return member(deflated: bits.bytesWithPadding, crc: crc.value, size: decodedSize)
  }

  /// `data` as a gzip member of uncompressed ("stored") DEFLATE blocks: valid gzip that any
  /// decoder accepts, for testing that a client decodes bodies it did not ask to be compressed.
  public static func stored(_ data: Data) -> Data {
    var deflated: [UInt8] = []
    let bytes = [UInt8](data)
    var offset = 0
    repeat {
      let end = min(bytes.count, offset + 65_535)
      let length = UInt16(end - offset)
      deflated.append(end == bytes.count ? 1 : 0)  // BFINAL, BTYPE 00, padded to a byte
      deflated += [
        UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8),
      ]
      deflated += bytes[offset..<end]
      offset = end
    } while offset < bytes.count
    var crc = CRC32()
    crc.update(bytes)
    return member(deflated: deflated, crc: crc.value, size: bytes.count)
  }

  private static func member(deflated: [UInt8], crc: UInt32, size: Int) -> Data {
    // ID1 ID2, CM=8 (deflate), no flags, no mtime, XFL 0, OS 255 (unknown).
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    out += deflated
    let isize = UInt32(truncatingIfNeeded: size)
    for value in [crc, isize] {
      out += [
        UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF),
        UInt8(value >> 24),
      ]
    }
    return Data(out)
  }

  /// DEFLATE's bit order: values least-significant bit first, Huffman codes most-significant first.
  private struct BitWriter {
    var bytes: [UInt8] = []
    private var current: UInt8 = 0
    private var used = 0

    mutating func writeBit(_ bit: UInt32) {
      if bit != 0 { current |= 1 << UInt8(used) }
      used += 1
      if used == 8 { flush() }
    }

    mutating func write(_ value: UInt32, count: Int) {
      for index in 0..<count { writeBit(value >> UInt32(index) & 1) }
    }

    mutating func writeCode(_ code: UInt32, length: Int) {
      for index in (0..<length).reversed() { writeBit(code >> UInt32(index) & 1) }
    }

    /// Fixed-Huffman literal: 0–143 are 8-bit codes from 0x30, 144–255 9-bit codes from 0x190.
    mutating func writeLiteral(_ byte: UInt8) {
      if byte < 144 {
        writeCode(0x30 + UInt32(byte), length: 8)
      } else {
        writeCode(0x190 + UInt32(byte) - 144, length: 9)
      }
    }

    var bytesWithPadding: [UInt8] { used == 0 ? bytes : bytes + [current] }

    private mutating func flush() {
      bytes.append(current)
      current = 0
      used = 0
    }
  }

  /// CRC-32 (IEEE, reflected), as gzip's trailer wants it.
  private struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
      var value = UInt32(index)
      for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
      return value
    }
    private var state: UInt32 = 0xFFFF_FFFF

    var value: UInt32 { ~state }

    mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
      for byte in bytes { state = Self.table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8) }
    }

    mutating func updateZeros(_ count: Int) {
      let table = Self.table
      var state = self.state
      for _ in 0..<count { state = table[Int(state & 0xFF)] ^ (state >> 8) }
      self.state = state
    }
  }
}
