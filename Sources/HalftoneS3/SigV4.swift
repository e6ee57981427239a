import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests (header-based, signed payload hash).
///
/// Halftone signs itself rather than through libcurl's `CURLOPT_AWS_SIGV4`: Debian's curl 7.88
/// signs a valueless query parameter (`?uploads`) wrongly and adds no `x-amz-content-sha256`,
/// and signing here lets one function produce both the signature and the exact URL it covers.
/// Checked against AWS's published S3 examples (SigV4Tests).
public struct SigV4: Sendable {
  public var credentials: S3Credentials
  public var region: String
  public var service = "s3"

  public init(credentials: S3Credentials, region: String) {
    self.credentials = credentials
    self.region = region
  }

  /// The headers to add to a request (`Authorization`, `x-amz-date`, `x-amz-content-sha256`
  /// and, for temporary credentials, `x-amz-security-token`) so that it is signed. `path` and
  /// `query` are given unencoded; `host` is the `Host` header as sent (with a non-default port).
  /// Every header in `headers` is signed.
  public func sign(
    method: String, host: String, path: String, query: [(String, String)],
    headers: [(name: String, value: String)], payloadHash: String, date: Date
  ) -> [(name: String, value: String)] {
    let stamp = Self.timestamp(date)
    let day = String(stamp.prefix(8))
    var added: [(name: String, value: String)] = [
      ("x-amz-content-sha256", payloadHash), ("x-amz-date", stamp),
    ]
    if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
    var signed: [(String, String)] = [("host", host)]
    for (name, value) in headers + added {
      signed.append((name.lowercased(), Self.canonicalValue(value)))
    }
    signed.sort { $0.0 < $1.0 }
    let canonicalHeaders = signed.map { "\($0.0):\($0.1)\n" }.joined()
    let signedHeaders = signed.map(\.0).joined(separator: ";")
    let canonicalRequest = [
      method, Self.canonicalPath(path), Self.canonicalQuery(query), canonicalHeaders,
      signedHeaders, payloadHash,
    ].joined(separator: "\n")
    let scope = "\(day)/\(region)/\(service)/aws4_request"
    let stringToSign = [
      "AWS4-HMAC-SHA256", stamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
    ].joined(separator: "\n")
    var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
    for part in [day, region, service, "aws4_request"] {
      key = SymmetricKey(
        data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
    }
    let signature = Self.hex(
      HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    added.append(
      (
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
          + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
      ))
    return added
  }

  /// The path as sent and signed: every byte but unreserved ones and `/` percent-encoded.
  public static func canonicalPath(_ path: String) -> String {
    path.isEmpty ? "/" : encode(path, keepingSlash: true)
  }

  /// The query as sent and signed: encoded, sorted, every parameter written with `=`.
  public static func canonicalQuery(_ query: [(String, String)]) -> String {
    let encoded: [(name: String, value: String)] = query.map { pair in
      (encode(pair.0, keepingSlash: false), encode(pair.1, keepingSlash: false))
    }
    let sorted = encoded.sorted { a, b in a.name == b.name ? a.value < b.value : a.name < b.name }
    return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
  }

  /// RFC 3986 percent-encoding of everything but `A–Z a–z 0–9 - _ . ~` (and `/` if kept).
  static func encode(_ text: String, keepingSlash: Bool) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      switch byte {
      case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F, 0x2E, 0x7E:  // A-Z a-z 0-9 - _ . ~
        out.unicodeScalars.append(Unicode.Scalar(byte))
      case 0x2F where keepingSlash:
        out.append("/")
      default:
        out += String(format: "%%%02X", byte)
      }
    }
    return out
  }

  /// A header value as signed: trimmed, runs of spaces collapsed.
  static func canonicalValue(_ value: String) -> String {
    value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
      .trimmingCharacters(in: .whitespaces)
  }

  /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
  static func timestamp(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(
      format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!,
      c.second!)
  }

  static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
  }

  /// The hex SHA-256 of `data`: a payload hash.
  public static func payloadHash(_ data: Data) -> String { hex(SHA256.hash(data: data)) }
}
