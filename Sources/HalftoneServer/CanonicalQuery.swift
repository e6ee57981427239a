import HalftoneSpec

/// One `name=value` pair of a request query, percent-decoded: the same reading as the CDN
/// queries the spec parses.
public typealias QueryItem = QueryParameter

/// The query language of `/thumbnails` and `/images`, and the canonical form signatures cover.
///
/// Reading: the query is split on `&`; each part on its first `=`; names and values are
/// percent-decoded as UTF-8 (`%2F` → `/`). `+` stays a literal plus, as in the CDN URLs this
/// server reads (encode a space as `%20`). A `%` not followed by two hex digits is kept as is.
///
/// Canonical form (what a signature covers): every parameter except `sig`, sorted by name and then
/// by value (comparing UTF-8 bytes), each name and value percent-encoded with `canonicalEncoded`
/// (RFC 3986 unreserved characters `A–Z a–z 0–9 - . _ ~` kept, every other byte as `%XX` with
/// upper-case hex), joined as `name=value` with `&`. Two queries that decode to the same
/// parameters therefore have the same canonical form, however each client chose to encode them.
public enum CanonicalQuery {
  /// Splits and decodes `query` (the text after `?`, without it).
  public static func items(_ query: Substring) -> [QueryItem] {
    QueryString.parameters(query)
  }

  /// The canonical text of `items` without `excluding` (normally `sig`).
  public static func canonical(_ items: [QueryItem], excluding: String = "sig") -> String {
    items.filter { $0.name != excluding }
      .map { (name: Array($0.name.utf8), value: Array($0.value.utf8)) }
      .sorted { lhs, rhs in
        lhs.name != rhs.name
          ? lhs.name.lexicographicallyPrecedes(rhs.name)
          : lhs.value.lexicographicallyPrecedes(rhs.value)
      }
      .map { canonicalEncoded($0.name) + "=" + canonicalEncoded($0.value) }
      .joined(separator: "&")
  }

  /// Percent-encodes every byte but the RFC 3986 unreserved ones, with upper-case hex.
  public static func canonicalEncoded<Bytes: Sequence>(_ bytes: Bytes) -> String
  where Bytes.Element == UInt8 {
    var out: [UInt8] = []
    for byte in bytes {
      if isUnreserved(byte) {
        out.append(byte)
      } else {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `canonicalEncoded` of a string's UTF-8.
  public static func canonicalEncoded(_ text: String) -> String { canonicalEncoded(text.utf8) }

  private static let hexDigits = Array("0123456789ABCDEF".utf8)

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
      UInt8(ascii: "_"), UInt8(ascii: "~"):
      true
    default: false
    }
  }
}
