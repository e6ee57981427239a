import Foundation
import HalftoneStore

/// Where a shared store lives: `s3://BUCKET/PREFIX`, the endpoint that serves the bucket, and its
/// region. Configuration, never input: the endpoint is trusted (no SSRF guard) and never receives
/// a URL taken from records.
public struct S3Location: Sendable, Hashable {
  public var bucket: String
  /// Key prefix without leading or trailing `/`; empty for the bucket's root.
  public var prefix: String
  /// `http(s)://host[:port]`, without a path. Requests are path-style (`endpoint/bucket/key`),
  /// which SeaweedFS, MinIO, Ceph RGW and AWS all accept.
  public var endpoint: String
  public var region: String

  /// Parses `s3://BUCKET[/PREFIX]`. Without `endpoint`, AWS's regional endpoint.
  public init(store: String, endpoint: String?, region: String?) throws(StoreError) {
    guard store.hasPrefix("s3://") else {
      throw StoreError(
        kind: .storage, message: "store \(store) is not of the form s3://BUCKET/PREFIX")
    }
    let rest = store.dropFirst("s3://".count)
    let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    let bucket = parts.first.map(String.init) ?? ""
    // Bucket names: 3–63 of a-z 0-9 . - (S3's rules), so a name never needs encoding.
    guard (3...63).contains(bucket.count),
      bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") })
    else {
      throw StoreError(
        kind: .storage,
        message: "store \(store): bucket name \"\(bucket)\" is not 3–63 characters of a-z, 0-9, "
          + "'.' and '-'")
    }
    self.bucket = bucket
    prefix = parts.count > 1 ? parts[1].split(separator: "/").joined(separator: "/") : ""
    self.region = region ?? "us-east-1"
    var base = endpoint ?? "https://s3.\(self.region).amazonaws.com"
    while base.hasSuffix("/") { base.removeLast() }
    guard let url = URL(string: base), let scheme = url.scheme,
      scheme == "http" || scheme == "https",
      url.host != nil, url.path.isEmpty, url.query == nil
    else {
      throw StoreError(
        kind: .storage,
        message: "S3 endpoint \(base) is not an http(s)://host[:port] URL without a path")
    }
    self.endpoint = base
  }

  /// `s3://bucket/prefix`, for messages.
  public var description: String { "s3://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") }

  /// The full key of `name` under the prefix.
  public func key(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix)/\(name)" }

  /// The `Host` header: the endpoint's host and non-default port.
  var hostHeader: String {
    String(endpoint.drop { $0 != ":" }.dropFirst(3))
  }
}
