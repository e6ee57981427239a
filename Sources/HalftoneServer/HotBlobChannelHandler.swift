import Foundation
import HalftoneStore
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Answers `GET`/`HEAD /blobs/{sha256}` for blobs held in `HotBlobs` on the connection's event
/// loop, and hands every other request to Hummingbird unchanged.
///
/// Why: a request answered through Hummingbird hops from NIO's event loop to a task in Swift's
/// concurrency pool and back (wake-ups, futexes, eventfd writes: about twice the system calls of
/// nginx per request). A hot blob needs none of that: the bytes and headers are in memory, so
/// answering here costs one dictionary lookup and one write.
///
/// The answer is the one `BlobResponder` gives (`HotBlobAnswer`), with the `Date` and `Server`
/// headers Hummingbird adds; metrics, access times and the access log are recorded alike.
/// A request is answered here only when all of these hold; otherwise it goes to Hummingbird,
/// which answers it as it always did (including 400 for a malformed name, the file read and the
/// filling of `HotBlobs` for a miss):
/// - the target is exactly `/blobs/` and 64 lowercase hex characters, without a query;
/// - the method is GET or HEAD and the head announces no body;
/// - the blob is in `HotBlobs`;
/// - no earlier request of the connection is still waiting for Hummingbird's answer (pipelined
///   requests are answered in order);
/// - the connection is writable (a client that sends but does not read is slowed down by
///   Hummingbird's back-pressure instead of filling memory here).
///
/// Sits after Hummingbird's `HTTPConnectionStateHandler` (see `HotBlobServerChannel`), so that
/// handler sees every request and response: the idle timeout and the graceful shutdown (close
/// once the response in progress is written) work for answers given here too.
final class HotBlobChannelHandler: ChannelDuplexHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private enum State {
    /// Waiting for the next request's head.
    case betweenRequests
    /// The current request went to Hummingbird: its body and end follow it there.
    case forwarding
    /// The current request was answered here; what is left of it (its end) is dropped.
    case answered
    /// A `Connection: close` request was answered here and the output closed; nothing more is
    /// read (Hummingbird, too, stops reading after such a request).
    case closed
  }

  private let fastPath: HotBlobFastPath
  private var state = State.betweenRequests
  /// Requests handed to Hummingbird whose response's end has not been written yet.
  private var forwardedAwaitingResponse = 0
  /// Answers written here since the last flush: flushed once per read, so the answers to
  /// pipelined requests leave in one write.
  private var unflushed = false
  private var date = HTTPDateField()

  init(fastPath: HotBlobFastPath) {
    self.fastPath = fastPath
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let part = unwrapInboundIn(data)
    switch state {
    case .betweenRequests:
      guard case .head(let request) = part else {
        context.fireChannelRead(data)  // not a request's start: Hummingbird reports it
        return
      }
      if forwardedAwaitingResponse == 0, context.channel.isWritable,
        answer(request, context: context)
      {
        return
      }
      forwardedAwaitingResponse += 1
      state = .forwarding
      context.fireChannelRead(data)
    case .forwarding:
      if case .end = part { state = .betweenRequests }
      context.fireChannelRead(data)
    case .answered:
      if case .end = part { state = .betweenRequests }
    case .closed:
      break
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    if unflushed {
      unflushed = false
      context.flush()
    }
    context.fireChannelReadComplete()
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    // Only Hummingbird's writes pass here (this handler's own answers start below it).
    if case .end = unwrapOutboundIn(data), forwardedAwaitingResponse > 0 {
      forwardedAwaitingResponse -= 1
    }
    context.write(data, promise: promise)
  }

  /// Writes the answer when the request is one for a hot blob; false (and nothing written)
  /// otherwise.
  private func answer(_ request: HTTPRequest, context: ChannelHandlerContext) -> Bool {
    guard let digest = HotBlobFastPath.digest(answering: request) else { return false }
    let started = ContinuousClock.now
    guard let entry = fastPath.hot.entry(digest, now: started) else { return false }
    fastPath.accesses.record(digest)
    let answer = HotBlobAnswer(
      entry: entry, request: request.headerFields, includeBody: request.method != .head)
    var headers = answer.headers
    // What Hummingbird's `Application` adds to every response, in the same order.
    headers[.date] = date.now()
    if let serverName = fastPath.serverName { headers[.server] = serverName }
    context.write(
      wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))),
      promise: nil)
    if let body = answer.body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
    context.write(wrapOutboundOut(.end(nil)), promise: nil)
    // Hummingbird's request loop ends after a request saying exactly this, then closes its output.
    if request.headerFields[.connection] == "close" {
      state = .closed
      context.flush()
      context.close(mode: .output, promise: nil)
    } else {
      state = .answered
      unflushed = true
    }
    fastPath.recorded(
      request, status: answer.status.code, bytes: answer.bodyBytes,
      duration: ContinuousClock.now - started)
    return true
  }
}

/// What the `HotBlobChannelHandler`s of every connection share.
struct HotBlobFastPath: Sendable {
  let hot: HotBlobs
  let accesses: AccessRecorder
  let metrics: ServerMetrics
  let accessLog: AccessLog
  /// The `Server` header Hummingbird adds to every response; `nil` for none.
  let serverName: String?

  /// The blob `request` asks for when the fast path may answer it: GET or HEAD, a target of
  /// exactly `/blobs/` and 64 lowercase hex characters (anything else, `..`, `%2e`, upper case,
  /// a query, goes to Hummingbird, which validates it), and no body announced.
  static func digest(answering request: HTTPRequest) -> Digest? {
    guard request.method == .get || request.method == .head,
      let path = request.path, path.utf8.count == prefix.utf8.count + 64,
      path.utf8.starts(with: prefix.utf8)
    else { return nil }
    let fields = request.headerFields
    guard fields[.transferEncoding] == nil, fields[.contentLength] ?? "0" == "0" else {
      return nil
    }
    return Digest(hex: String(Substring(path.utf8.dropFirst(prefix.utf8.count))))
  }

  private static let prefix = HalftoneResponder.blobPrefix

  /// The request metrics and access-log line of one answer, as `HalftoneResponder` records them.
  func recorded(_ request: HTTPRequest, status: Int, bytes: Int, duration: Duration) {
    metrics.recordRequest(route: .blobs, status: status, bytes: bytes, duration: duration)
    metrics.recordFastPathResponse()
    if accessLog.isEnabled {
      accessLog.record(
        method: request.method, path: request.path ?? "", query: nil, status: status,
        bytes: bytes, duration: duration)
    }
  }
}
