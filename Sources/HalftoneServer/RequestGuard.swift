import HTTPTypes
import HalftoneCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Refuses the request shapes no route of `halftone serve` has a use for and that would
/// otherwise tie up a connection, and closes connections without cutting answers short.
///
/// Sits right after NIO's HTTP/1 codec on every connection (see `HalftoneServerChannel`), so it
/// sees every request before the fast path and Hummingbird, and every answer and close after
/// them. Why each rule:
/// - `CONNECT`: NIO's parser stops parsing after it (the connection would become a tunnel) and
///   buffers whatever the client sends next without bound; 405, then the connection closes.
/// - `Transfer-Encoding`: no route reads a body, and a coding the parser refuses (`xchunked`)
///   would otherwise be answered once by the route and again with 400 by the parser's error;
///   400, then close.
/// - `Content-Length` over `maxRequestBodyBytes`: 413, then close (a body is read and dropped,
///   so a large one only costs time).
/// - A protocol upgrade (`Connection: upgrade` with `Upgrade:`): answered as usual (an upgrade
///   may be ignored), but the parser stops after it like after `CONNECT`, so reading stops and
///   the answer carries `Connection: close`.
///
/// A refused request is answered in order: after the answers of requests before it on the
/// connection. Nothing after it is read.
///
/// Closing: a close of the whole channel (Hummingbird's at shutdown or after `Connection:
/// close`, the idle timer's) first half-closes the output, which NIO completes only once every
/// answer written so far has been sent, then closes; a client that reads nothing gets
/// `closeGrace` for that. A plain close would drop answers still waiting in the socket's queue.
final class RequestGuard: ChannelDuplexHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

  /// What the guard allows.
  struct Limits: Sendable {
    /// Largest request body announced by `Content-Length` (bodies are read and dropped).
    var maxRequestBodyBytes = 64 * 1024
    /// How long a closing connection may take to send the answers already written.
    var closeGrace: TimeAmount = .seconds(10)
    /// How long, once they are sent, what the client still sends is read and dropped before the
    /// connection closes (see `InputDrain`), unless its input ends first.
    var linger: TimeAmount = .seconds(2)
  }

  private enum State {
    /// Requests are passed on.
    case open
    /// An upgrade request was passed on: its own parts still are, then nothing more.
    case lastRequest(ended: Bool)
    /// A refusal waits for the answers before it; nothing more is read.
    case refusing(HTTPResponseHead, ByteBuffer)
    /// The refusal was written; the connection is closing.
    case refused
  }

  private let limits: Limits
  private let accessLog: AccessLog
  private var state = State.open
  /// Requests passed on whose answer has not ended yet.
  private var awaiting = 0
  private var closing = false
  /// The output is closed and input is being drained until the connection closes.
  private var lingering = false
  private var date = HTTPDateField()
  private let drain: InputDrain
  /// The close fallback and the linger end, cancelled when the channel goes first.
  private var timers: [Scheduled<Void>] = []

  init(limits: Limits, accessLog: AccessLog, drain: InputDrain) {
    self.limits = limits
    self.accessLog = accessLog
    self.drain = drain
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    for timer in timers { timer.cancel() }
    timers = []
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    // The client's input ended while lingering: nothing more can arrive, close now.
    if lingering, let event = event as? ChannelEvent, case .inputClosed = event {
      context.close(mode: .all, promise: nil)
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let part = unwrapInboundIn(data)
    switch state {
    case .open:
      guard case .head(let request) = part else { return context.fireChannelRead(data) }
      if let refusal = refusal(of: request) {
        refuse(refusal, request: request, context: context)
        return
      }
      awaiting += 1
      if Self.isUpgrade(request) {
        state = .lastRequest(ended: false)
        stopReading(context)
      }
      context.fireChannelRead(data)
    case .lastRequest(let ended):
      guard !ended else { return }
      if case .end = part { state = .lastRequest(ended: true) }
      context.fireChannelRead(data)
    case .refusing, .refused:
      break
    }
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let part = unwrapOutboundIn(data)
    switch part {
    case .head(var head) where head.status.code >= 200:
      if case .lastRequest = state, awaiting == 1 {
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        return context.write(wrapOutboundOut(.head(head)), promise: promise)
      }
      context.write(data, promise: promise)
    case .end:
      awaiting = max(0, awaiting - 1)
      context.write(data, promise: promise)
      guard awaiting == 0 else { return }
      switch state {
      case .refusing(let head, let body):
        writeRefusal(head, body, context: context)
      case .lastRequest:
        context.flush()
        closeGracefully(context, promise: nil)
      case .open, .refused:
        break
      }
    default:
      context.write(data, promise: promise)
    }
  }

  func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
    guard mode == .all, context.channel.isActive else {
      return context.close(mode: mode, promise: promise)
    }
    closeGracefully(context, promise: promise)
  }

  // MARK: Rules

  private func refusal(of request: HTTPRequestHead) -> APIError? {
    if request.method == .CONNECT {
      return APIError(
        .methodNotAllowed, kind: "method_not_allowed",
        message: "CONNECT is not supported: halftone serve is not a proxy",
        headers: [.allow: "GET, HEAD"])
    }
    if request.headers.contains(name: "Transfer-Encoding") {
      return APIError(
        .badRequest, kind: "bad_request",
        message: "a request with Transfer-Encoding is not accepted: no route reads a request body")
    }
    for value in request.headers["Content-Length"] {
      guard let length = Int(value.trimmingCharacters(in: .whitespaces)), length >= 0 else {
        continue  // the parser refuses it
      }
      if length > limits.maxRequestBodyBytes {
        return APIError(
          .contentTooLarge, kind: ErrorKind.tooLarge.rawValue,
          message: "a request body of \(length) bytes is over the limit of "
            + "\(limits.maxRequestBodyBytes) bytes: no route reads a request body")
      }
    }
    return nil
  }

  /// Whether NIO's parser takes `request` for a protocol upgrade (and stops parsing after it).
  static func isUpgrade(_ request: HTTPRequestHead) -> Bool {
    guard request.headers.contains(name: "Upgrade") else { return false }
    return request.headers["Connection"].contains { value in
      value.split(separator: ",").contains {
        $0.trimmingCharacters(in: .whitespaces).lowercased() == "upgrade"
      }
    }
  }

  // MARK: Answers and closing

  /// Answers `refusal` (the same JSON error as every route's) with `Connection: close`.
  private func refuse(
    _ refusal: APIError, request: HTTPRequestHead, context: ChannelHandlerContext
  ) {
    stopReading(context)
    let body = refusal.body
    var headers = HTTPHeaders(refusal.fields(bodyBytes: body.readableBytes))
    headers.add(name: "Connection", value: "close")
    headers.add(name: "Date", value: date.now())
    headers.add(name: "Server", value: HalftoneServer.serverName)
    let status = Int(refusal.status.code)
    let head = HTTPResponseHead(
      version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
    if accessLog.isEnabled {
      accessLog.record(
        method: request.method.rawValue, path: request.uri, query: nil, status: status,
        bytes: body.readableBytes, duration: .zero)
    }
    if awaiting == 0 {
      writeRefusal(head, body, context: context)
    } else {
      state = .refusing(head, body)
    }
  }

  private func writeRefusal(
    _ head: HTTPResponseHead, _ body: ByteBuffer, context: ChannelHandlerContext
  ) {
    state = .refused
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    closeGracefully(context, promise: nil)
  }

  /// Reading stops: what the client sends from now on stays in the kernel's buffers.
  private func stopReading(_ context: ChannelHandlerContext) {
    context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
  }

  /// Half-closes the output (done once every answer written so far is sent), drains the input
  /// for `linger`, then closes the channel; after `closeGrace` it closes anyway.
  private func closeGracefully(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
    // A close asked for while one is under way completes with it.
    promise.map { context.channel.closeFuture.cascade(to: $0) }
    guard !closing else { return }
    closing = true
    let loop = context.eventLoop.assumeIsolated()
    let fallback = loop.scheduleTask(in: limits.closeGrace) {
      context.close(mode: .all, promise: nil)
    }
    timers.append(fallback)
    let outputClosed = context.eventLoop.makePromise(of: Void.self)
    context.flush()
    // Fails at once when the output is already closed (after `Connection: close`): that is done.
    context.close(mode: .output, promise: outputClosed)
    outputClosed.futureResult.assumeIsolated().whenComplete { _ in
      fallback.cancel()
      guard context.channel.isActive else { return }
      self.lingering = true
      self.drain.start(context.channel)
      self.timers.append(
        loop.scheduleTask(in: self.limits.linger) { context.close(mode: .all, promise: nil) })
    }
  }
}
