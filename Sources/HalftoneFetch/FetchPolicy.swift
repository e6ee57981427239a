import Foundation

/// Every limit a `Fetcher` applies: concurrency, durations, sizes, redirects, retries and the
/// SSRF guard. The defaults are safe for fetching untrusted article media from the internet.
public struct FetchPolicy: Sendable, Hashable {
  /// The `User-Agent` sent when none is given; origins can identify and contact us.
  public static let defaultUserAgent = "Halftone/0.1.0 (+https://github.com/halftone/halftone)"

  /// Transfers running at once across all hosts (more wait, without their timeouts running).
  public var maxConcurrent: Int
  /// Transfers running at once to one host (`host:port` of the requested URL).
  public var maxPerHost: Int
  /// Seconds to establish a connection (TCP + TLS).
  public var connectTimeout: TimeInterval
  /// Seconds for one whole attempt, connection to last byte, redirects included.
  public var totalTimeout: TimeInterval
  /// Bytes per second under which a transfer counts as stalled…
  public var lowSpeedLimit: Int
  /// …for this many seconds (whole seconds, at least 1), after which it fails with `timeout`.
  public var lowSpeedTime: TimeInterval
  /// Redirects followed before failing with `too_many_redirects`.
  public var maxRedirects: Int
  /// Largest body accepted, counted after any content decoding (gzip bombs fail `too_large`).
  public var maxBytes: Int
  /// Lifts the SSRF guard: connect to loopback, private and other internal addresses.
  public var allowPrivateAddresses: Bool
  /// Exact IP addresses exempt from the SSRF guard (e.g. one known internal origin).
  public var allowedAddresses: Set<IPAddress>
  /// Attempts per fetch, the first included; retries happen on connection errors, timeouts, 5xx
  /// and 429, never on other 4xx.
  public var maxAttempts: Int
  /// Backoff cap for the first retry in seconds; doubles per retry, with full jitter.
  public var baseBackoff: TimeInterval
  /// Largest backoff between attempts in seconds (a server's `Retry-After` may ask for more, up to
  /// `maxRetryAfter`).
  public var maxBackoff: TimeInterval
  /// Largest `Retry-After` honoured; a server asking for longer fails at once with its status
  /// rather than parking the fetch.
  public var maxRetryAfter: TimeInterval
  /// Sent as `User-Agent`; should name Halftone.
  public var userAgent: String
  /// Bytes of a streamed body buffered between the transfer and its sink (the disk); when the
  /// sink falls behind, that transfer pauses. Up to twice this is in memory per transfer.
  public var bodyBufferBytes: Int

  public init(
    maxConcurrent: Int = 32,
    maxPerHost: Int = 6,
    connectTimeout: TimeInterval = 10,
    totalTimeout: TimeInterval = 60,
    lowSpeedLimit: Int = 1024,
    lowSpeedTime: TimeInterval = 15,
    maxRedirects: Int = 5,
    maxBytes: Int = 50 * 1024 * 1024,
    maxAttempts: Int = 3,
    baseBackoff: TimeInterval = 0.5,
    maxBackoff: TimeInterval = 30,
    maxRetryAfter: TimeInterval = 60,
    allowPrivateAddresses: Bool = false,
    allowedAddresses: Set<IPAddress> = [],
    userAgent: String = FetchPolicy.defaultUserAgent,
    bodyBufferBytes: Int = 1 << 20
  ) {
    self.maxConcurrent = maxConcurrent
    self.maxPerHost = maxPerHost
    self.connectTimeout = connectTimeout
    self.totalTimeout = totalTimeout
    self.lowSpeedLimit = lowSpeedLimit
    self.lowSpeedTime = lowSpeedTime
    self.maxRedirects = maxRedirects
    self.maxBytes = maxBytes
    self.allowPrivateAddresses = allowPrivateAddresses
    self.allowedAddresses = allowedAddresses
    self.maxAttempts = maxAttempts
    self.baseBackoff = baseBackoff
    self.maxBackoff = maxBackoff
    self.maxRetryAfter = maxRetryAfter
    self.userAgent = userAgent
    self.bodyBufferBytes = bodyBufferBytes
  }

  /// The SSRF guard this policy asks for.
  public var addressPolicy: AddressPolicy {
    AddressPolicy(
      allowPrivateAddresses: allowPrivateAddresses, allowedAddresses: allowedAddresses)
  }

  /// The first limit that makes no sense, as a message; `nil` when the policy is usable.
  func problem() -> String? {
    func positive(_ value: TimeInterval) -> Bool { value.isFinite && value > 0 }
    if maxConcurrent < 1 { return "maxConcurrent must be at least 1, got \(maxConcurrent)" }
    if maxPerHost < 1 { return "maxPerHost must be at least 1, got \(maxPerHost)" }
    if !positive(connectTimeout) { return "connectTimeout must be > 0 s, got \(connectTimeout)" }
    if !positive(totalTimeout) { return "totalTimeout must be > 0 s, got \(totalTimeout)" }
    if lowSpeedLimit < 0 { return "lowSpeedLimit must be >= 0, got \(lowSpeedLimit)" }
    if !positive(lowSpeedTime) { return "lowSpeedTime must be > 0 s, got \(lowSpeedTime)" }
    if maxRedirects < 0 { return "maxRedirects must be >= 0, got \(maxRedirects)" }
    if maxBytes < 1 { return "maxBytes must be at least 1, got \(maxBytes)" }
    if maxAttempts < 1 { return "maxAttempts must be at least 1, got \(maxAttempts)" }
    if !(baseBackoff >= 0 && baseBackoff.isFinite) { return "baseBackoff must be >= 0 s" }
    if !(maxBackoff >= 0 && maxBackoff.isFinite) { return "maxBackoff must be >= 0 s" }
    if !(maxRetryAfter >= 0 && maxRetryAfter.isFinite) { return "maxRetryAfter must be >= 0 s" }
    if containsLineBreak(userAgent) {
      return "userAgent must not contain line breaks"
    }
    return nil
  }
}
