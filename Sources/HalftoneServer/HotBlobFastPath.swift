import HTTPTypes
import HalftoneStore
import Hummingbird
import NIOHTTP1

/// What the `HotBlobChannelHandler`s of every connection share, and how they read a request.
struct HotBlobFastPath: Sendable {
  let hot: HotBlobs
  let accesses: AccessRecorder
  let metrics: ServerMetrics
  let accessLog: AccessLog
  /// The `Server` header Hummingbird adds to every response; `nil` for none.
  let serverName: String?

  /// The blob `request` asks for when the fast path may answer it: GET or HEAD, a target of
  /// exactly `/blobs/` and 64 lowercase hex characters (anything else, `..`, `%2e`, upper case,
  /// a query, an absolute URI, goes to Hummingbird, which validates it), no body announced and
  /// no protocol upgrade asked for.
  static func digest(answering request: HTTPRequestHead) -> Digest? {
    guard request.method == .GET || request.method == .HEAD,
      request.uri.utf8.count == prefix.utf8.count + 64, request.uri.utf8.starts(with: prefix.utf8)
    else { return nil }
    let headers = request.headers
    guard !headers.contains(name: "Transfer-Encoding"), !headers.contains(name: "Upgrade") else {
      return nil
    }
    let lengths = headers["Content-Length"]
    guard lengths.isEmpty || lengths == ["0"] else { return nil }
    return Digest(hex: String(Substring(request.uri.utf8.dropFirst(prefix.utf8.count))))
  }

  private static let prefix = HalftoneResponder.blobPrefix

  /// The value Hummingbird reads for the field `name`: every field of that name, each value as
  /// swift-http-types keeps it, joined with ", " (as `HTTPFields` does); `nil` when absent.
  static func combined(_ headers: HTTPHeaders, _ name: HTTPField.Name) -> String? {
    let values = headers[name.rawName]
    guard !values.isEmpty else { return nil }
    return values.map { HTTPField(name: name, value: $0).value }.joined(separator: ", ")
  }

  /// The request metrics (`handles`, from `metrics.requestMetrics(route: .blobs, status:)`) and
  /// access-log line of one answer, as `HalftoneResponder` records them.
  func recorded(
    _ request: HTTPRequestHead, in handles: RequestMetrics, status: Int, bytes: Int,
    duration: Duration
  ) {
    handles.record(bytes: bytes, duration: duration)
    metrics.recordFastPathResponse()
    if accessLog.isEnabled {
      accessLog.record(
        method: request.method.rawValue, path: request.uri, query: nil, status: status,
        bytes: bytes, duration: duration)
    }
  }
}
