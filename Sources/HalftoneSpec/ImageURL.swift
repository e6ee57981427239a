/// An absolute http(s) URL split into the parts the dialects need. Parsed by hand (not Foundation)
/// so the query is kept exactly as written and `%2C` vs `,` is decided by `QueryString` alone.
struct ImageURL: Sendable, Hashable {
  /// As written (`HTTPS` stays `HTTPS`); compare `lowercasedScheme`.
  var scheme: String
  /// `user@host:port` as written.
  var authority: String
  /// Lower-cased host without user info, port or IPv6 brackets.
  var host: String
  /// Starts with `/`, or is empty.
  var path: String
  /// After `?`, before `#`; `nil` when the URL has no `?`.
  var query: String?

  var lowercasedScheme: String { scheme.lowercased() }

  /// `scheme://authority/path`: the URL without query and fragment.
  var withoutQuery: String { "\(scheme)://\(authority)\(path)" }

  /// Parses `text`. Empty, relative, malformed or whitespace-containing text is `invalid_url`; a
  /// scheme other than http or https is `unsupported_scheme`.
  static func parse(_ text: String) throws(SpecError) -> ImageURL {
    let trimmed = text.trimmingSpaces
    guard !trimmed.isEmpty else { throw .invalidURL(text, "the URL is empty") }
    guard trimmed.utf8.count <= Limits.maxTextLength else {
      throw .invalidURL(text, "longer than \(Limits.maxTextLength) bytes")
    }
    guard !trimmed.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 })
    else { throw .invalidURL(text, "contains spaces or control characters; percent-encode them") }
    if trimmed.hasPrefix("//") {
      throw .invalidURL(text, "protocol-relative URL; write it with https:")
    }
    guard let colon = trimmed.firstIndex(of: ":") else {
      throw .invalidURL(text, "no scheme; expected an absolute http:// or https:// URL")
    }
    let scheme = String(trimmed[..<colon])
    guard isScheme(scheme) else {
      throw .invalidURL(text, "no scheme; expected an absolute http:// or https:// URL")
    }
    guard ["http", "https"].contains(scheme.lowercased()) else {
      throw .unsupportedScheme(scheme.lowercased(), url: text)
    }
    let afterScheme = trimmed[trimmed.index(after: colon)...]
    guard afterScheme.hasPrefix("//") else {
      throw .invalidURL(text, "expected '//' after '\(scheme):'")
    }
    let rest = afterScheme.dropFirst(2)
    let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
    let authority = String(rest[..<authorityEnd])
    let host = try hostName(authority: authority, url: text)
    var remainder = rest[authorityEnd...]
    if let hash = remainder.firstIndex(of: "#") { remainder = remainder[..<hash] }
    var query: String?
    if let question = remainder.firstIndex(of: "?") {
      query = String(remainder[remainder.index(after: question)...])
      remainder = remainder[..<question]
    }
    return ImageURL(
      scheme: scheme, authority: authority, host: host, path: String(remainder), query: query)
  }

  private static func isScheme(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first.isASCIIAlphanumeric,
      !("0"..."9").contains(first)
    else { return false }
    return text.unicodeScalars.allSatisfy {
      $0.isASCIIAlphanumeric || "+.-".unicodeScalars.contains($0)
    }
  }

  /// The lower-cased host of an authority (`user:pw@Host:8080` → `host`), validated.
  static func hostName(authority: String, url: String) throws(SpecError) -> String {
    var hostAndPort = Substring(authority)
    if let at = hostAndPort.lastIndex(of: "@") {
      hostAndPort = hostAndPort[hostAndPort.index(after: at)...]
    }
    var host: Substring
    var port: Substring?
    if hostAndPort.hasPrefix("[") {
      guard let close = hostAndPort.firstIndex(of: "]") else {
        throw .invalidURL(url, "unterminated IPv6 address")
      }
      host = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
      let afterClose = hostAndPort[hostAndPort.index(after: close)...]
      if afterClose.hasPrefix(":") {
        port = afterClose.dropFirst()
      } else if !afterClose.isEmpty {
        throw .invalidURL(url, "unexpected text after the IPv6 address")
      }
      guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
        throw .invalidURL(url, "bad IPv6 address '\(host)'")
      }
    } else {
      if let colon = hostAndPort.lastIndex(of: ":") {
        port = hostAndPort[hostAndPort.index(after: colon)...]
        host = hostAndPort[..<colon]
      } else {
        host = hostAndPort
      }
      guard !host.isEmpty else { throw .invalidURL(url, "no host") }
      let allowed = host.unicodeScalars.allSatisfy {
        $0.isASCIIAlphanumeric || "-._".unicodeScalars.contains($0)
      }
      guard allowed, !host.hasPrefix("."), !host.contains("..") else {
        throw .invalidURL(url, "bad host name '\(host)'")
      }
    }
    if let port {
      guard let number = FixedPoint.integer(port), (1...65535).contains(number) else {
        throw .invalidURL(url, "bad port '\(port)'")
      }
    }
    return host.lowercased()
  }
}

extension String {
  /// Without leading and trailing spaces, tabs and line breaks.
  var trimmingSpaces: String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}

extension Unicode.Scalar {
  var isASCIIAlphanumeric: Bool {
    ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
  }
}
