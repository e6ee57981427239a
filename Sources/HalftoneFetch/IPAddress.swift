import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An IPv4 or IPv6 address: the thing the SSRF guard judges at connect time.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
  /// Network-order bytes: 4 for IPv4, 16 for IPv6.
  public let bytes: [UInt8]

  /// Wraps 4 (IPv4) or 16 (IPv6) network-order bytes; `nil` for any other count.
  public init?(bytes: [UInt8]) {
    guard bytes.count == 4 || bytes.count == 16 else { return nil }
    self.bytes = bytes
  }

  /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (`"10.0.0.1"`, `"::ffff:127.0.0.1"`); `nil`
  /// for anything else, including host names.
  public init?(_ text: String) {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
      return
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
      return
    }
    return nil
  }

  public var isIPv4: Bool { bytes.count == 4 }

  /// The conventional text form (`inet_ntop`): `127.0.0.1`, `::1`, `::ffff:10.0.0.1`.
  public var description: String {
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let family = isIPv4 ? AF_INET : AF_INET6
    let ok = bytes.withUnsafeBytes { raw in
      inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil
    }
    guard ok else { return bytes.map { String($0) }.joined(separator: ".") }
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
