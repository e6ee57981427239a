import Foundation
import Halftone
import HalftoneStore
import Hummingbird
import Logging
import NIOCore

/// Routes a request to its handler, then records it: one access-log line and the request
/// metrics. A plain `switch` on the path instead of a router: five fixed routes, and `/blobs`
/// must stay cheap (it is benchmarked against nginx).
///
/// Every route answers GET and HEAD (HEAD: the same status and headers, no body); other methods
/// get 405 with `Allow: GET, HEAD`. Request bodies are never read.
struct HalftoneResponder: HTTPResponder {
  typealias Context = HalftoneRequestContext

  let configuration: HalftoneServerConfiguration
  let pipeline: ImagePipeline
  let blobs: BlobResponder
  let thumbnails: ThumbnailRoute
  let images: ImagesRoute
  let metrics: ServerMetrics
  let accessLog: AccessLog

  func respond(to request: Request, context: Context) async throws -> Response {
    let started = ContinuousClock.now
    let path = request.uri.path
    let route = Self.route(of: path)
    let includeBody = request.method != .head
    var response: Response
    do {
      response = try await dispatch(
        request, channel: context.channel, path: path, route: route, includeBody: includeBody)
    } catch {
      response = error.response(includeBody: includeBody)
    }
    let bytes = includeBody ? (response.body.contentLength ?? 0) : 0
    let duration = ContinuousClock.now - started
    metrics.recordRequest(
      route: route, status: Int(response.status.code), bytes: bytes, duration: duration)
    if accessLog.isEnabled {
      accessLog.record(
        method: request.method.rawValue, path: path, query: request.uri.query,
        status: response.status.code, bytes: bytes, duration: duration)
    }
    return response
  }

  private func dispatch(
    _ request: Request, channel: any Channel, path: String, route: Route, includeBody: Bool
  ) async throws(APIError) -> Response {
    guard request.method == .get || request.method == .head else {
      var allow: HTTPFields = [:]
      allow[.allow] = "GET, HEAD"
      throw APIError(
        .methodNotAllowed, kind: "method_not_allowed",
        message: "\(request.method.rawValue) is not supported: use GET or HEAD", headers: allow)
    }
    guard request.uri.string.utf8.count <= configuration.maxRequestTargetBytes else {
      throw APIError(
        .uriTooLong, kind: "uri_too_long",
        message: "request target is \(request.uri.string.utf8.count) bytes; at most "
          + "\(configuration.maxRequestTargetBytes) are accepted")
    }
    switch route {
    case .blobs:
      return try await blob(
        request, name: path.utf8.dropFirst(Self.blobPrefix.utf8.count),
        includeBody: includeBody)
    case .thumbnails:
      return try await thumbnails.respond(
        to: request, channel: channel, includeBody: includeBody)
    case .images:
      return try await images.respond(to: request, includeBody: includeBody)
    case .healthz:
      return try await health(includeBody: includeBody)
    case .metrics:
      return text(
        metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8",
        includeBody: includeBody)
    case .other:
      throw .notFound(
        "no such route: \(path.prefix(128)) (routes: /blobs/{sha256}, /thumbnails, /images, "
          + "/healthz, /metrics)")
    }
  }

  static let blobPrefix = "/blobs/"

  static func route(of path: String) -> Route {
    if path.utf8.starts(with: blobPrefix.utf8) || path == "/blobs" { return .blobs }
    switch path {
    case "/thumbnails": return .thumbnails
    case "/images": return .images
    case "/healthz": return .healthz
    case "/metrics": return .metrics
    default: return .other
    }
  }

  /// `/blobs/{sha256}`: the name must be exactly 64 lowercase hex characters, checked before it
  /// goes anywhere near a file path (so `..`, `%2e%2e`, `/`, upper case all stop here).
  private func blob(_ request: Request, name: Substring.UTF8View, includeBody: Bool)
    async throws(APIError) -> Response
  {
    guard let digest = Digest(hex: String(Substring(name))) else {
      throw APIError(
        .badRequest, kind: "invalid_digest",
        message: "a blob is named by its SHA-256: 64 lowercase hex characters "
          + "(got \(name.count) bytes that are not)")
    }
    guard
      let response = try await blobs.respond(
        digest: digest, request: request, includeBody: includeBody)
    else {
      throw .notFound("no blob sha256:\(digest.hex) in the cache")
    }
    return response
  }

  /// 200 "ok" when the index and the blob store answer; 503 otherwise.
  private func health(includeBody: Bool) async throws(APIError) -> Response {
    do {
      try await pipeline.checkHealth()
    } catch {
      throw APIError(
        .serviceUnavailable, kind: error.kind.rawValue,
        message: "the cache cannot be read: \(error.message)")
    }
    return text("ok\n", contentType: "text/plain; charset=utf-8", includeBody: includeBody)
  }

  private func text(_ text: String, contentType: String, includeBody: Bool) -> Response {
    let buffer = ByteBuffer(string: text)
    var headers: HTTPFields = [:]
    headers[.contentType] = contentType
    headers[.cacheControl] = "no-store"
    headers[.contentLength] = String(buffer.readableBytes)
    return Response(
      status: .ok, headers: headers, body: includeBody ? ResponseBody(byteBuffer: buffer) : .init())
  }
}

/// The request context: Hummingbird's basic one plus the connection's channel, so that work for
/// a request can stop when its client hangs up (`ConnectionEnd`).
struct HalftoneRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let channel: any Channel

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }
}
