/// The SSRF guard: decides, for every address libcurl is about to connect to (redirects
/// included), whether Halftone may talk to it.
///
/// By default only public unicast addresses pass. Loopback, private, link-local (where cloud
/// metadata services live), CGNAT, multicast, broadcast and reserved ranges are refused, and so
/// is any IPv6 address that carries one of those IPv4 addresses inside it (mapped, compatible,
/// 6to4, NAT64, Teredo), because the kernel or a translator would deliver it to that IPv4 host.
public struct AddressPolicy: Sendable, Hashable {
  /// Lifts the guard entirely (tests against 127.0.0.1, trusted internal origins).
  public var allowPrivateAddresses: Bool
  /// Exact addresses let through even when the guard is on (a known internal origin).
  public var allowedAddresses: Set<IPAddress>

  public init(allowPrivateAddresses: Bool = false, allowedAddresses: Set<IPAddress> = []) {
    self.allowPrivateAddresses = allowPrivateAddresses
    self.allowedAddresses = allowedAddresses
  }

  /// `nil` when connecting to `address` is allowed, otherwise why not (for the error message).
  public func refusal(for address: IPAddress) -> String? {
    if allowPrivateAddresses || allowedAddresses.contains(address) { return nil }
    return Self.nonPublicRange(of: address)
  }

  /// The special-purpose range `address` belongs to, e.g. `"loopback 127.0.0.0/8"`, or `nil` for
  /// a public unicast address.
  public static func nonPublicRange(of address: IPAddress) -> String? {
    address.isIPv4 ? ipv4Range(address.bytes) : ipv6Range(address.bytes)
  }

  private struct Range: Sendable {
    let prefix: [UInt8]
    let bits: Int
    let name: String

    func contains(_ bytes: [UInt8]) -> Bool {
      guard bytes.count == prefix.count else { return false }
      var remaining = bits
      for index in bytes.indices where remaining > 0 {
        let take = min(8, remaining)
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
        if bytes[index] & mask != prefix[index] & mask { return false }
        remaining -= take
      }
      return true
    }
  }

  /// Ordered: the first match names the range (broadcast before the reserved 240/4 around it).
  private static let ipv4Ranges: [Range] = [
    Range(prefix: [0, 0, 0, 0], bits: 8, name: "\"this network\" 0.0.0.0/8"),
    Range(prefix: [10, 0, 0, 0], bits: 8, name: "private 10.0.0.0/8"),
    Range(prefix: [100, 64, 0, 0], bits: 10, name: "carrier-grade NAT 100.64.0.0/10"),
    Range(prefix: [127, 0, 0, 0], bits: 8, name: "loopback 127.0.0.0/8"),
    Range(prefix: [169, 254, 0, 0], bits: 16, name: "link-local 169.254.0.0/16"),
    Range(prefix: [172, 16, 0, 0], bits: 12, name: "private 172.16.0.0/12"),
    Range(prefix: [192, 0, 0, 0], bits: 24, name: "IETF protocol assignments 192.0.0.0/24"),
    Range(prefix: [192, 0, 2, 0], bits: 24, name: "documentation 192.0.2.0/24"),
    Range(prefix: [192, 88, 99, 0], bits: 24, name: "6to4 relay anycast 192.88.99.0/24"),
    Range(prefix: [192, 168, 0, 0], bits: 16, name: "private 192.168.0.0/16"),
    Range(prefix: [198, 18, 0, 0], bits: 15, name: "benchmarking 198.18.0.0/15"),
    Range(prefix: [198, 51, 100, 0], bits: 24, name: "documentation 198.51.100.0/24"),
    Range(prefix: [203, 0, 113, 0], bits: 24, name: "documentation 203.0.113.0/24"),
    Range(prefix: [224, 0, 0, 0], bits: 4, name: "multicast 224.0.0.0/4"),
    Range(prefix: [255, 255, 255, 255], bits: 32, name: "broadcast 255.255.255.255"),
    Range(prefix: [240, 0, 0, 0], bits: 4, name: "reserved 240.0.0.0/4"),
  ]

  private static func ipv4Range(_ bytes: [UInt8]) -> String? {
    ipv4Ranges.first { $0.contains(bytes) }?.name
  }

  /// The first bytes of an IPv6 prefix, zero-filled to 16.
  private static func v6(_ head: [UInt8]) -> [UInt8] {
    head + [UInt8](repeating: 0, count: 16 - head.count)
  }

  private static let ipv6Ranges: [Range] = [
    Range(prefix: v6([]), bits: 128, name: "unspecified ::"),
    Range(prefix: [UInt8](repeating: 0, count: 15) + [1], bits: 128, name: "loopback ::1"),
    Range(
      prefix: v6([0, 0x64, 0xFF, 0x9B, 0, 1]), bits: 48, name: "local-use NAT64 64:ff9b:1::/48"),
    Range(prefix: v6([0x01, 0x00]), bits: 64, name: "discard-only 100::/64"),
    Range(prefix: v6([0x20, 0x01, 0, 0x02, 0, 0]), bits: 48, name: "benchmarking 2001:2::/48"),
    Range(prefix: v6([0x20, 0x01, 0, 0x10]), bits: 28, name: "ORCHID 2001:10::/28"),
    Range(prefix: v6([0x20, 0x01, 0, 0x20]), bits: 28, name: "ORCHIDv2 2001:20::/28"),
    Range(prefix: v6([0x20, 0x01, 0x0D, 0xB8]), bits: 32, name: "documentation 2001:db8::/32"),
    Range(prefix: v6([0xFC]), bits: 7, name: "unique local fc00::/7"),
    Range(prefix: v6([0xFE, 0x80]), bits: 10, name: "link-local fe80::/10"),
    Range(prefix: v6([0xFE, 0xC0]), bits: 10, name: "site-local fec0::/10"),
    Range(prefix: v6([0xFF]), bits: 8, name: "multicast ff00::/8"),
  ]

  /// An IPv6 range that carries an IPv4 address, and where those four bytes sit.
  private struct Embedding {
    let range: Range
    let offset: Int
    /// Teredo stores the client's IPv4 address with every bit flipped.
    var inverted = false

    func ipv4(in bytes: [UInt8]) -> [UInt8] {
      let embedded = Array(bytes[offset..<offset + 4])
      return inverted ? embedded.map { ~$0 } : embedded
    }
  }

  private static let embeddings: [Embedding] = [
    Embedding(
      range: Range(
        prefix: v6(Array(repeating: 0, count: 10) + [0xFF, 0xFF]), bits: 96,
        name: "IPv4-mapped ::ffff:0:0/96"), offset: 12),
    Embedding(
      range: Range(
        prefix: v6(Array(repeating: 0, count: 8) + [0xFF, 0xFF]), bits: 96,
        name: "IPv4-translated ::ffff:0:0:0/96"), offset: 12),
    Embedding(range: Range(prefix: v6([]), bits: 96, name: "IPv4-compatible ::/96"), offset: 12),
    Embedding(
      range: Range(prefix: v6([0, 0x64, 0xFF, 0x9B]), bits: 96, name: "NAT64 64:ff9b::/96"),
      offset: 12),
    Embedding(range: Range(prefix: v6([0x20, 0x02]), bits: 16, name: "6to4 2002::/16"), offset: 2),
    Embedding(
      range: Range(prefix: v6([0x20, 0x01, 0, 0]), bits: 32, name: "Teredo 2001::/32"),
      offset: 12, inverted: true),
  ]

  private static func ipv6Range(_ bytes: [UInt8]) -> String? {
    if let name = ipv6Ranges.first(where: { $0.contains(bytes) })?.name { return name }
    for embedding in embeddings where embedding.range.contains(bytes) {
      let embedded = embedding.ipv4(in: bytes)
      guard let inner = ipv4Range(embedded) else { return nil }
      let address = IPAddress(bytes: embedded).map(String.init(describing:)) ?? "?"
      return "\(embedding.range.name) carrying \(address), \(inner)"
    }
    return nil
  }
}
