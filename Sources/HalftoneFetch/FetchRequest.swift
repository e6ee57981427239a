/// What to fetch, optionally as a conditional request revalidating a copy we already hold.
public struct FetchRequest: Sendable, Hashable {
  /// An absolute `http` or `https` URL.
  public var url: String
  /// The `ETag` of the copy we hold; sent as `If-None-Match`.
  public var ifNoneMatch: String?
  /// The `Last-Modified` of the copy we hold (an HTTP-date); sent as `If-Modified-Since`.
  public var ifModifiedSince: String?

  public init(url: String, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil) {
    self.url = url
    self.ifNoneMatch = ifNoneMatch
    self.ifModifiedSince = ifModifiedSince
  }
}
