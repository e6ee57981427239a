import Crypto
import Foundation

/// The SHA-256 of a blob's bytes, as 64 lowercase hex characters: the blob's name in the store.
///
/// Two equal byte strings always have the same digest, so storing the same bytes twice stores one
/// blob. Because `init?(hex:)` only accepts exactly 64 lowercase hex characters, text from a user
/// (a URL path segment, a CLI argument) can be turned into a `Digest` before it is ever used to
/// build a file path: no `..`, no `/`, no surprises.
public struct Digest: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
  /// 64 lowercase hex characters.
  public let hex: String

  /// Accepts exactly 64 characters from `0-9a-f`; anything else (uppercase, spaces, other lengths)
  /// returns `nil`.
  public init?(hex: String) {
    let utf8 = hex.utf8
    guard utf8.count == 64,
      utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else { return nil }
    self.hex = hex
  }

  private init(trustedHex: String) { self.hex = trustedHex }

  /// The SHA-256 of `data`.
  public static func of(_ data: Data) -> Digest {
    let hash = SHA256.hash(data: data)
    return Digest(trustedHex: hexString(hash))
  }

  /// The digest a finished (incremental) SHA-256 computation names.
  public init(_ hash: SHA256.Digest) { self.init(trustedHex: Self.hexString(hash)) }

  /// The SHA-256 of `bytes`.
  public static func of(_ bytes: UnsafeRawBufferPointer) -> Digest {
    let hash = SHA256.hash(data: bytes)
    return Digest(trustedHex: hexString(hash))
  }

  /// The first two hex characters: the shard directory (`blobs/sha256/<prefix>/`), which keeps
  /// directories at 1/256 of the blob count.
  public var shard: Substring { hex.prefix(2) }

  public var description: String { "sha256:\(hex)" }

  public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let digest = Digest(hex: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "not a SHA-256 digest (64 lowercase hex): \(text)")
    }
    self = digest
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(hex)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private static func hexString(_ hash: SHA256.Digest) -> String {
    var out = [UInt8]()
    out.reserveCapacity(64)
    for byte in hash {
      out.append(hexDigits[Int(byte >> 4)])
      out.append(hexDigits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
