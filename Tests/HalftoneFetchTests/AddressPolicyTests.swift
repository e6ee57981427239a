import XCTest

@testable import HalftoneFetch

final class AddressPolicyTests: XCTestCase {
  /// Address → the range name must contain this (blocked), or `nil` (public, allowed).
  private let table: [(String, String?)] = [
    // IPv4 special-purpose ranges.
    ("0.0.0.0", "this network"), ("0.1.2.3", "this network"),
    ("10.0.0.1", "private 10.0.0.0/8"), ("10.255.255.255", "private"),
    ("100.64.0.1", "carrier-grade NAT"), ("100.127.255.254", "carrier-grade NAT"),
    ("100.63.255.255", nil), ("100.128.0.0", nil),
    ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"),
    ("169.254.169.254", "link-local"),
    ("172.16.0.1", "private 172.16.0.0/12"), ("172.31.255.255", "private"),
    ("172.15.255.255", nil), ("172.32.0.0", nil),
    ("192.168.1.1", "private 192.168.0.0/16"),
    ("192.0.0.8", "IETF protocol assignments"), ("198.18.0.1", "benchmarking"),
    ("192.88.99.1", "6to4 relay anycast"), ("192.88.98.255", nil), ("192.88.100.0", nil),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "broadcast"),
    ("8.8.8.8", nil), ("93.184.216.34", nil), ("1.1.1.1", nil), ("223.255.255.255", nil),
    // IPv6.
    ("::", "unspecified"), ("::1", "loopback ::1"),
    ("fc00::1", "unique local"), ("fd12:3456::1", "unique local"),
    ("fe80::1", "link-local fe80::/10"), ("febf::1", "link-local"), ("fec0::1", "site-local"),
    ("ff02::1", "multicast"), ("2001:db8::1", "documentation"),
    ("100::1", "discard-only 100::/64"), ("100:0:0:1::1", nil),
    ("2001:2::1", "benchmarking 2001:2::/48"), ("2001:2:1::1", nil),
    ("2001:10::1", "ORCHID"), ("2001:1f::1", "ORCHID"), ("2001:20::1", "ORCHIDv2"),
    ("2001:30::1", nil),
    ("2606:4700:4700::1111", nil), ("2a00:1450:4001:80b::200e", nil),
    // IPv4 hidden in IPv6: judged by the IPv4 address inside.
    ("::ffff:127.0.0.1", "IPv4-mapped ::ffff:0:0/96 carrying 127.0.0.1, loopback"),
    ("::ffff:10.1.2.3", "IPv4-mapped"), ("::ffff:169.254.169.254", "link-local"),
    ("::ffff:8.8.8.8", nil),
    ("::ffff:0:192.168.0.1", "IPv4-translated"),
    ("::127.0.0.1", "IPv4-compatible ::/96 carrying 127.0.0.1"), ("::10.0.0.1", "private"),
    ("::8.8.8.8", nil),
    ("2002:7f00:0001::1", "6to4 2002::/16 carrying 127.0.0.1"),
    ("2002:c0a8:0101::", "6to4 2002::/16 carrying 192.168.1.1"), ("2002:0808:0808::1", nil),
    ("64:ff9b::127.0.0.1", "NAT64 64:ff9b::/96 carrying 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "carrying 169.254.169.254, link-local"), ("64:ff9b::8.8.8.8", nil),
    ("64:ff9b:1::8.8.8.8", "local-use NAT64"),
    // Teredo: client 127.0.0.1 stored inverted (80ff:fffe).
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo 2001::/32 carrying 127.0.0.1"),
  ]

  func testTableOfAddresses() throws {
    let guardOn = AddressPolicy()
    for (text, expected) in table {
      let address = try XCTUnwrap(IPAddress(text), "\(text) should parse")
      let refusal = guardOn.refusal(for: address)
      if let expected {
        XCTAssertTrue(
          refusal?.contains(expected) ?? false,
          "\(text): expected a refusal naming \"\(expected)\", got \(refusal ?? "nil (allowed)")")
      } else {
        XCTAssertNil(refusal, "\(text) is public and must be allowed")
      }
    }
  }

  func testAllowPrivateAddressesLiftsTheGuard() throws {
    let open = AddressPolicy(allowPrivateAddresses: true)
    for (text, _) in table {
      XCTAssertNil(open.refusal(for: try XCTUnwrap(IPAddress(text))), text)
    }
  }

  func testAllowedAddressesExemptExactlyThoseAddresses() throws {
    let loopback = try XCTUnwrap(IPAddress("127.0.0.1"))
    let policy = AddressPolicy(allowedAddresses: [loopback])
    XCTAssertNil(policy.refusal(for: loopback))
    XCTAssertNotNil(policy.refusal(for: try XCTUnwrap(IPAddress("127.0.0.2"))))
    XCTAssertNotNil(policy.refusal(for: try XCTUnwrap(IPAddress("::1"))))
    XCTAssertNotNil(policy.refusal(for: try XCTUnwrap(IPAddress("::ffff:127.0.0.1"))))
  }

  func testParsingAndPrinting() {
    XCTAssertEqual(IPAddress("127.0.0.1")?.bytes, [127, 0, 0, 1])
    XCTAssertEqual(IPAddress("::ffff:7f00:1")?.description, "::ffff:127.0.0.1")
    XCTAssertEqual(IPAddress("0:0:0:0:0:0:0:1")?.description, "::1")
    XCTAssertEqual(IPAddress(bytes: [10, 0, 0, 1])?.description, "10.0.0.1")
    XCTAssertNil(IPAddress("localhost"))
    XCTAssertNil(IPAddress("256.0.0.1"))
    XCTAssertNil(IPAddress("127.1"))  // inet_pton is strict: no shorthand forms to confuse us
    XCTAssertNil(IPAddress(bytes: [1, 2, 3]))
  }
}
