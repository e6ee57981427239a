import Foundation

/// A request as the test origin received it.
public struct OriginRequest: Sendable {
  public var method: String
  /// Path and query exactly as sent: `/photo.jpg?width=200`.
  public var target: String
  /// `target` without the query.
  public var path: String
  /// The query without `?`; `nil` when the target has none.
  public var query: String?
  public var headers: [(name: String, value: String)]
  /// 0 for the first request this route variant (with or without query) received, then 1, 2…
  public var index: Int
  /// Which accepted connection carried it (1, 2…): equal ids mean keep-alive reuse.
  public var connection: Int
  public var receivedAt: Date

  /// The first header named `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }
}

/// How a response body is framed and sent, including the ways real origins get it wrong.
public enum OriginBody: Sendable {
  /// `Content-Length` framing.
  case data(Data)
  /// `Content-Length: contentLength` whatever the data's size; the connection closes afterwards
  /// (shorter: the client reads only `contentLength` bytes; longer: it sees the body end early).
  case declaredLength(Data, contentLength: Int)
  /// `Transfer-Encoding: chunked`, in chunks of `chunkSize`.
  case chunked(Data, chunkSize: Int)
  /// A chunked stream of `count` zero bytes, generated as it is sent (no `Content-Length`), for
  /// bodies far bigger than a test wants in memory.
  case zeros(count: Int, chunkSize: Int)
  /// `Content-Length` framing, but only `bytesPerTick` bytes every `interval` seconds.
  case drip(Data, bytesPerTick: Int, interval: TimeInterval)
}

/// Ways to break the connection instead of answering.
public enum OriginFault: Sendable {
  /// Read the request, then close with `SO_LINGER` 0: the client sees a TCP reset.
  case reset
  /// Read the request, then close cleanly without a byte: the client sees an empty reply.
  case closeWithoutResponse
}

/// Holds responses back until a test opens it (deterministic "slow origin").
public final class OriginGate: @unchecked Sendable {
  private let condition = NSCondition()
  private var isOpen = false

  public init() {}

  /// Lets every held and future response through.
  public func open() {
    condition.lock()
    isOpen = true
    condition.broadcast()
    condition.unlock()
  }

  /// True once open; waits at most `timeout` seconds.
  func wait(timeout: TimeInterval) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    if !isOpen { _ = condition.wait(until: Date(timeIntervalSinceNow: timeout)) }
    return isOpen
  }
}

/// One programmable response: status, headers, body framing, delay, gate or fault.
public struct OriginResponse: Sendable {
  public var status: Int
  /// Sent as given, before the framing headers the server adds (`Content-Length` or
  /// `Transfer-Encoding`, `Connection: close` when closing).
  public var headers: [(name: String, value: String)]
  public var body: OriginBody
  /// Seconds to wait after reading the request and before answering (a slow or hung origin).
  public var delay: TimeInterval
  /// When set, the response waits until the gate opens.
  public var gate: OriginGate?
  /// When set, no response is sent at all.
  public var fault: OriginFault?
  /// Close the connection after this response.
  public var closeConnection: Bool

  public init(
    status: Int = 200, headers: [(name: String, value: String)] = [],
    body: OriginBody = .data(Data()), delay: TimeInterval = 0, gate: OriginGate? = nil,
    fault: OriginFault? = nil, closeConnection: Bool = false
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.delay = delay
    self.gate = gate
    self.fault = fault
    self.closeConnection = closeConnection
  }

  /// 200 with `body` and a `Content-Type`.
  public static func ok(_ body: Data, contentType: String = "application/octet-stream") -> Self {
    OriginResponse(headers: [("Content-Type", contentType)], body: .data(body))
  }

  /// A text body with any status.
  public static func text(
    _ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8"
  ) -> Self {
    OriginResponse(
      status: status, headers: [("Content-Type", contentType)], body: .data(Data(text.utf8)))
  }

  /// An HTML page (what CDNs and paywalls answer instead of an image).
  public static func html(_ html: String, status: Int = 200) -> Self {
    text(html, status: status, contentType: "text/html; charset=utf-8")
  }

  /// `status` with a short text body naming it.
  public static func status(_ status: Int) -> Self {
    text("status \(status)\n", status: status)
  }

  /// A redirect to `location` (relative or absolute, any scheme).
  public static func redirect(to location: String, status: Int = 302) -> Self {
    OriginResponse(status: status, headers: [("Location", location)])
  }

  /// 429 (or `status`) with `Retry-After: value` (seconds or an HTTP-date).
  public static func retryAfter(_ value: String, status: Int = 429) -> Self {
    OriginResponse(
      status: status, headers: [("Retry-After", value), ("Content-Type", "text/plain")],
      body: .data(Data("slow down\n".utf8)))
  }

  /// A body the server says is gzip-compressed (`Content-Encoding: gzip`), whatever the client
  /// asked for.
  public static func gzipped(_ compressed: Data, contentType: String = "image/png") -> Self {
    OriginResponse(
      headers: [("Content-Type", contentType), ("Content-Encoding", "gzip")],
      body: .data(compressed))
  }

  /// A TCP reset after the request is read.
  public static let reset = OriginResponse(fault: .reset)
  /// A clean close after the request is read, with no response.
  public static let closeWithoutResponse = OriginResponse(fault: .closeWithoutResponse)

  /// This response with one more header.
  public func header(_ name: String, _ value: String) -> Self {
    var copy = self
    copy.headers.append((name, value))
    return copy
  }

  /// This response sent `seconds` later.
  public func delayed(by seconds: TimeInterval) -> Self {
    var copy = self
    copy.delay = seconds
    return copy
  }

  /// This response held until `gate` opens.
  public func held(by gate: OriginGate) -> Self {
    var copy = self
    copy.gate = gate
    return copy
  }
}

/// What one path answers. Requests without a query and requests with one can be told apart (the
/// way Fastly serves the master for the bare path and a transformed image for `?width=…`).
public struct OriginRoute: Sendable {
  enum Responder: Sendable {
    case sequence([OriginResponse])
    case handler(@Sendable (OriginRequest) -> OriginResponse)

    func response(to request: OriginRequest) -> OriginResponse {
      switch self {
      case .sequence(let responses):
        guard let last = responses.last else { return .status(500) }
        return request.index < responses.count ? responses[request.index] : last
      case .handler(let respond):
        return respond(request)
      }
    }
  }

  var plain: Responder
  var withQuery: Responder?

  /// Every request gets `response`.
  public static func always(_ response: OriginResponse) -> Self {
    OriginRoute(plain: .sequence([response]))
  }

  /// The n-th request gets the n-th response; the last one repeats (e.g. `[500, 200]`: fail
  /// once, then succeed).
  public static func sequence(_ responses: [OriginResponse]) -> Self {
    OriginRoute(plain: .sequence(responses))
  }

  /// Computes each response from the request (called on a server thread).
  public static func handler(_ respond: @escaping @Sendable (OriginRequest) -> OriginResponse)
    -> Self
  {
    OriginRoute(plain: .handler(respond))
  }

  /// A resource with validators: 200 with `ETag`/`Last-Modified`, or 304 with no body when the
  /// request's `If-None-Match` matches the ETag or `If-Modified-Since` equals `lastModified`.
  public static func revalidating(
    _ body: Data, contentType: String = "image/png", etag: String = "\"v1\"",
    lastModified: String = "Wed, 21 Oct 2015 07:28:00 GMT"
  ) -> Self {
    handler { request in
      let validators = [("ETag", etag), ("Last-Modified", lastModified)]
      let etagMatches = request.header("If-None-Match").map { value in
        value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
      }
      let dateMatches = request.header("If-Modified-Since").map { $0 == lastModified }
      if etagMatches ?? dateMatches ?? false {
        return OriginResponse(status: 304, headers: validators)
      }
      return OriginResponse(
        headers: [("Content-Type", contentType)] + validators, body: .data(body))
    }
  }

  /// This route for requests without a query, `query` for requests with one.
  public func withQuery(_ query: OriginRoute) -> Self {
    var copy = self
    copy.withQuery = query.plain
    return copy
  }

  func response(to request: OriginRequest) -> OriginResponse {
    (request.query != nil ? withQuery ?? plain : plain).response(to: request)
  }
}
