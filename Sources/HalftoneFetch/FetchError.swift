import Foundation
import HalftoneCore

/// Why a fetch failed: a report kind, a message naming the URL and what went wrong, and the HTTP
/// status when the server answered.
///
/// Kinds, and whether a failure of that kind is retried:
/// - `invalid_url`: not an absolute URL libcurl can parse, or over 8 KiB. Not retried.
/// - `unsupported_scheme`: anything but http/https, as a redirect target too. Not retried.
/// - `blocked_address`: the SSRF guard refused every address (redirect hops too). Not retried.
/// - `dns`: the host name did not resolve. Not retried.
/// - `connect`: no connection (refused, unreachable, TLS handshake or certificate). Retried.
/// - `timeout`: connect, total or low-speed timeout. Retried.
/// - `network`: the connection broke after it was made (reset, empty reply, body shorter than
///   its Content-Length, HTTP/2 errors). Retried. Also cancellation (`isCancellation`), which
///   is not.
/// - `too_many_redirects`: more than `maxRedirects`. Not retried.
/// - `too_large`: Content-Length or the decoded body over `maxBytes`. Not retried.
/// - `http_status`: a final status other than 2xx and 304. 429 and 5xx are retried first
///   (honouring Retry-After up to `maxRetryAfter`), other statuses are not.
/// - `not_an_image`: a 2xx body whose magic bytes are no supported image. Not retried.
/// - `internal`: a nonsensical `FetchPolicy`, a header value with a line break, libcurl failing.
///
/// A body LONGER than its Content-Length is not an error here: libcurl reads Content-Length
/// bytes and stops, so the image arrives truncated and the imaging stage reports
/// `corrupt_image`.
public struct FetchError: HalftoneError, Hashable {
  public var kind: ErrorKind
  public var message: String
  /// The URL that was requested (redirect hops appear in `message`).
  public var url: String
  /// The final HTTP status, when a response arrived (`http_status`, `not_an_image`).
  public var httpStatus: Int?
  /// The final response's headers when one arrived (`http_status`, `not_an_image`), names
  /// lowercased: an archive reads `Memento-Datetime` off a replayed 404.
  public var headers: [String: String]
  /// Seconds the server's `Retry-After` asked for, when it sent one that parses.
  public var retryAfter: TimeInterval?
  /// The fetch was abandoned because its caller's task was cancelled or the `Fetcher` shut down;
  /// `kind` is then `network`. Not a verdict on the URL: do not record it as one.
  public var isCancellation: Bool

  public init(
    kind: ErrorKind, message: String, url: String, httpStatus: Int? = nil,
    headers: [String: String] = [:], isCancellation: Bool = false
  ) {
    self.headers = headers
    self.kind = kind
    self.message = message
    self.url = url
    self.httpStatus = httpStatus
    self.isCancellation = isCancellation
  }

  static func cancelled(_ url: String, why: String = "the calling task was cancelled") -> Self {
    FetchError(
      kind: .network, message: "fetch of \(url) abandoned: \(why)", url: url,
      isCancellation: true)
  }
}

extension FetchError {
  /// A body sink (the cache's staging file) refused the body: its kind (`storage` for a full
  /// disk) and message, naming the URL.
  static func storing(_ error: any Error, url: String, hop: String = "") -> FetchError {
    let known = error as? any HalftoneError
    return FetchError(
      kind: known?.kind ?? .storage,
      message: "could not store the body of \(url)\(hop): \(known?.message ?? "\(error)")",
      url: url)
  }
}
