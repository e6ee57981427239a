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
    guard !containsSpaceOrControl(trimmed) else {
      throw .invalidURL(text, "contains spaces or control characters; percent-encode them")
    }
    if trimmed.hasPrefix("//") {
      throw .invalidURL(text, "protocol-relative URL; write it with https:")
    }
    guard let colon = trimmed.utf8.firstIndex(of: 0x3A) else {
      throw .invalidURL(text, "no scheme; expected an absolute http:// or https:// URL")
    }
    let scheme = String(trimmed[..<colon])
    guard isScheme(scheme) else {
      throw .invalidURL(text, "no scheme; expected an absolute http:// or https:// URL")
    }
    guard isHTTP(scheme) else {
      throw .unsupportedScheme(scheme.lowercased(), url: text)
    }
    let afterScheme = trimmed[trimmed.utf8.index(after: colon)...]
    guard afterScheme.hasPrefix("//") else {
      throw .invalidURL(text, "expected '//' after '\(scheme):'")
    }
    // Delimiters are ASCII, so searching the UTF-8 view finds the same places as searching
    // characters, without grapheme breaking.
    let rest = afterScheme.dropFirst(2)
    let authorityEnd =
      rest.utf8.firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 }) ?? rest.endIndex
    let authority = String(rest[..<authorityEnd])
    let host = try hostName(authority: authority, url: text)
    var remainder = rest[authorityEnd...]
    if let hash = remainder.utf8.firstIndex(of: 0x23) { remainder = remainder[..<hash] }
    var query: String?
    if let question = remainder.utf8.firstIndex(of: 0x3F) {
      query = String(remainder[remainder.utf8.index(after: question)...])
      remainder = remainder[..<question]
    }
    return ImageURL(
      scheme: scheme, authority: authority, host: host, path: String(remainder), query: query)
  }

  /// A space, a control character or any other Unicode white space. ASCII text (nearly every
  /// URL) is judged by its bytes; Unicode properties are looked up only for other scalars.
  private static func containsSpaceOrControl(_ text: String) -> Bool {
    var ascii = true
    for byte in text.utf8 {
      if byte <= 0x20 || byte == 0x7F { return true }
      if byte >= 0x80 { ascii = false }
    }
    if ascii { return false }
    return text.unicodeScalars.contains { $0.value >= 0x80 && $0.properties.isWhitespace }
  }

  /// `http` or `https` in any case, judged by bytes (no lower-cased copy).
  private static func isHTTP(_ scheme: String) -> Bool {
    var bytes = scheme.utf8.makeIterator()
    for expected in "http".utf8 {
      guard let byte = bytes.next(), byte | 0x20 == expected else { return false }
    }
    guard let last = bytes.next() else { return true }
    return last | 0x20 == UInt8(ascii: "s") && bytes.next() == nil
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
    if let at = hostAndPort.utf8.lastIndex(of: 0x40) {
      hostAndPort = hostAndPort[hostAndPort.utf8.index(after: at)...]
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
      if let colon = hostAndPort.utf8.lastIndex(of: 0x3A) {
        port = hostAndPort[hostAndPort.utf8.index(after: colon)...]
        host = hostAndPort[..<colon]
      } else {
        host = hostAndPort
      }
      guard !host.isEmpty else { throw .invalidURL(url, "no host") }
      var allowed = true
      var previous: UInt8 = 0x2E  // a leading dot is refused like two in a row
      for byte in host.utf8 {
        let letterOrDigit =
          (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte)
          || (0x30...0x39).contains(byte)
        if !(letterOrDigit || byte == 0x2D || byte == 0x2E || byte == 0x5F)
          || (byte == 0x2E && previous == 0x2E)
        {
          allowed = false
          break
        }
        previous = byte
      }
      guard allowed else {
        throw .invalidURL(url, "bad host name '\(host)'")
      }
    }
    if let port {
      guard let number = FixedPoint.integer(port), (1...65535).contains(number) else {
        throw .invalidURL(url, "bad port '\(port)'")
      }
    }
    let hasUpper = host.utf8.contains { (0x41...0x5A).contains($0) }
    return hasUpper ? host.lowercased() : String(host)
  }
}

extension String {
  /// Without leading and trailing spaces, tabs and line breaks.
  var trimmingSpaces: String {
    // Nearly always: nothing to trim, judged from the first and last bytes.
    if let first = utf8.first, let last = utf8.last, (0x21..<0x7F).contains(first),
      (0x21..<0x7F).contains(last)
    {
      return self
    }
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
