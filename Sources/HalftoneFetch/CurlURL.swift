import CHalftone
import HalftoneCore

/// A URL checked with libcurl's own parser before any transfer starts, so what we validate is
/// exactly what libcurl will request.
struct CurlURL: Sendable {
  /// Lowercased: `http` or `https`.
  let scheme: String
  /// Lowercased host name or address literal, as libcurl will connect to it.
  let host: String
  /// The explicit port or the scheme's default.
  let port: Int

  /// Key for the per-host concurrency limit.
  var hostKey: String { "\(host):\(port)" }

  /// URLs longer than this are refused: no image URL needs more, and it bounds memory.
  static let maxLength = 8192

  static let allowedSchemes: Set<String> = ["http", "https"]

  init(_ text: String) throws(FetchError) {
    func invalid(_ why: String) -> FetchError {
      FetchError(kind: .invalidURL, message: "invalid URL \(quoted(text)): \(why)", url: text)
    }
    guard text.utf8.count <= Self.maxLength else {
      throw invalid("longer than \(Self.maxLength) bytes")
    }
    guard let handle = curl_url() else {
      throw FetchError(kind: .internal, message: "libcurl could not allocate a URL", url: text)
    }
    defer { curl_url_cleanup(handle) }
    // NON_SUPPORT_SCHEME: parse ftp://, file:// and friends too, so they are reported as
    // unsupported_scheme rather than as malformed.
    let set = curl_url_set(handle, CURLUPART_URL, text, UInt32(CURLU_NON_SUPPORT_SCHEME))
    guard set == CURLUE_OK else {
      throw invalid(String(cString: curl_url_strerror(set)))
    }
    func part(_ which: CURLUPart, flags: Int32 = 0) -> String? {
      var value: UnsafeMutablePointer<CChar>? = nil
      guard curl_url_get(handle, which, &value, UInt32(flags)) == CURLUE_OK, let value else {
        return nil
      }
      defer { curl_free(value) }
      return String(cString: value)
    }
    let scheme = (part(CURLUPART_SCHEME) ?? "").lowercased()
    guard Self.allowedSchemes.contains(scheme) else {
      throw FetchError(
        kind: .unsupportedScheme,
        message: "unsupported scheme \(quoted(scheme)) in \(quoted(text)): only http and https",
        url: text)
    }
    guard let host = part(CURLUPART_HOST), !host.isEmpty else { throw invalid("no host") }
    self.scheme = scheme
    self.host = host.lowercased()
    self.port = part(CURLUPART_PORT, flags: CURLU_DEFAULT_PORT).flatMap { Int($0) } ?? 0
  }
}
