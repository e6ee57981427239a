/// What to fetch, optionally as a conditional request revalidating a copy we already hold.
public struct FetchRequest: Sendable, Hashable {
  /// What a 2xx body must be for the fetch to succeed.
  public enum Body: Sendable, Hashable {
    /// An image (magic bytes sniffed), else `not_an_image`: originals.
    case image
    /// Any bytes up to `maxBytes` (at most the policy's limit): an archive's index, a JSON answer.
    case document(maxBytes: Int)
  }

  /// An absolute `http` or `https` URL.
  public var url: String
  /// The `ETag` of the copy we hold; sent as `If-None-Match`.
  public var ifNoneMatch: String?
  /// The `Last-Modified` of the copy we hold (an HTTP-date); sent as `If-Modified-Since`.
  public var ifModifiedSince: String?
  public var body: Body = .image
  /// Further request header lines (`Name: value`), e.g. a Memento `Accept-Datetime`. A line with
  /// a line break fails the fetch (`internal`) rather than smuggling headers.
  public var headers: [String] = []
  /// When set, redirects are followed only to this host (lowercased); a redirect elsewhere
  /// fails with `redirect_refused`. Archive replays stay on the archive's host.
  public var redirectHost: String?
  /// Attempts for this request instead of the policy's: 1 for a caller that retries itself
  /// (an archive client pauses its whole archive on a 429 rather than one request).
  public var maxAttempts: Int?

  public init(url: String, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil) {
    self.url = url
    self.ifNoneMatch = ifNoneMatch
    self.ifModifiedSince = ifModifiedSince
  }
}

extension FetchRequest {
  /// The largest body accepted for this request under `policy`.
  func byteLimit(_ policy: FetchPolicy) -> Int {
    switch body {
    case .image: policy.maxBytes
    case .document(let maxBytes): min(max(1, maxBytes), policy.maxBytes)
    }
  }
}
