import Crypto
import Foundation
import HalftoneFetch

/// Passes a download on to another sink while computing its SHA-1, the digest a Wayback CDX
/// index names each capture's payload by (base32).
final class PayloadDigestSink: FetchBodySink, @unchecked Sendable {
  private let next: any FetchBodySink
  // Touched only by the fetch's writer queue, one call at a time (FetchBodySink's contract),
  // and read after the fetch returned.
  private var hash = Insecure.SHA1()

  init(_ next: any FetchBodySink) { self.next = next }

  func restart() throws {
    hash = Insecure.SHA1()
    try next.restart()
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    hash.update(bufferPointer: bytes)
    try next.write(bytes)
  }

  /// The base32 SHA-1 of everything written since the last restart.
  var base32Digest: String { Self.base32(Array(hash.finalize())) }

  /// RFC 4648 base32, upper case, without padding (a SHA-1 is exactly 32 characters).
  static func base32(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    var out = ""
    var buffer = 0
    var bits = 0
    for byte in bytes {
      buffer = (buffer << 8) | Int(byte)
      bits += 8
      while bits >= 5 {
        out.append(alphabet[(buffer >> (bits - 5)) & 31])
        bits -= 5
      }
    }
    if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
    return out
  }

  /// A CDX digest in the form compared: upper case, without a `sha1:` prefix.
  static func normalized(_ digest: String) -> String {
    let upper = digest.uppercased()
    return upper.hasPrefix("SHA1:") ? String(upper.dropFirst(5)) : upper
  }
}
