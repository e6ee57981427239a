import Foundation
import HTTPTypes
import HalftoneStore
import Hummingbird
import NIOCore
import NIOHTTP1

/// Answers `GET`/`HEAD /blobs/{sha256}` for blobs held in `HotBlobs` on the connection's event
/// loop, and hands every other request to Hummingbird unchanged.
///
/// Why: a request answered through Hummingbird hops from NIO's event loop to a task in Swift's
/// concurrency pool and back (wake-ups, futexes, eventfd writes: about twice the system calls of
/// nginx per request), and is converted to and from swift-http-types on the way. A hot blob needs
/// none of that: the bytes and headers are in memory, so answering here costs one dictionary
/// lookup and one write.
///
/// The answer is the one `BlobResponder` gives (`HotBlobAnswer`), with the `Date` and `Server`
/// headers Hummingbird adds; metrics, access times and the access log are recorded alike.
/// A request is answered here only when all of these hold; otherwise it goes to Hummingbird,
/// which answers it as it always did (including 400 for a malformed name, the file read and the
/// filling of `HotBlobs` for a miss):
/// - the target is exactly `/blobs/` and 64 lowercase hex characters, without a query;
/// - the method is GET or HEAD, the head announces no body and asks for no upgrade;
/// - the blob is in `HotBlobs`;
/// - no earlier request of the connection is still waiting for Hummingbird's answer (pipelined
///   requests are answered in order);
/// - the connection is writable (a client that sends but does not read is slowed down by
///   Hummingbird's back-pressure instead of filling memory here).
///
/// It sits between NIO's HTTP/1 codec and Hummingbird's (see `HalftoneServerChannel`), so it sees
/// every request and response of the connection and keeps the idle timeout for all of them
/// (`IdleConnectionTimer`; Hummingbird's own would see only the requests it answers and close a
/// connection busy with hot blobs).
final class HotBlobChannelHandler: ChannelDuplexHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

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
  /// A request handed to Hummingbird said `Connection: close`: Hummingbird ends the connection
  /// after answering it, so no later request may be answered here (it would follow the close).
  private var hummingbirdEndsConnection = false
  /// Answers written here since the last flush: flushed once per read, so the answers to
  /// pipelined requests leave in one write.
  private var unflushed = false
  private var date = HTTPDateField()
  /// The metric handles of this connection's answers by status, looked up once per connection:
  /// the lookup takes a lock that every event loop contends for.
  private var metricsByStatus: [Int: RequestMetrics] = [:]
  private var idle: IdleConnectionTimer

  init(fastPath: HotBlobFastPath, idleTimeout: TimeAmount?) {
    self.fastPath = fastPath
    idle = IdleConnectionTimer(timeout: idleTimeout)
  }

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { idle.connectionStarted(context) }
  }

  func handlerRemoved(context: ChannelHandlerContext) { idle.cancel() }

  func channelActive(context: ChannelHandlerContext) {
    idle.connectionStarted(context)
    context.fireChannelActive()
  }

  func channelInactive(context: ChannelHandlerContext) {
    idle.connectionEnded()
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let part = unwrapInboundIn(data)
    if case .closed = state {
      // The client goes on sending after a `Connection: close` answer: nothing of it will be
      // read, so the connection ends now rather than reading (and timing) it forever.
      context.close(promise: nil)
      return
    }
    idle.read(part)
    switch state {
    case .betweenRequests:
      guard case .head(let request) = part else {
        context.fireChannelRead(data)  // not a request's start: Hummingbird reports it
        return
      }
      if !hummingbirdEndsConnection, forwardedAwaitingResponse == 0,
        context.channel.isWritable, answer(request, context: context)
      {
        return
      }
      if HotBlobFastPath.combined(request.headers, .connection) == "close" {
        hummingbirdEndsConnection = true
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

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    idle.writabilityChanged(context)
    context.fireChannelWritabilityChanged()
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
    if case .end = unwrapOutboundIn(data) {
      if forwardedAwaitingResponse > 0 { forwardedAwaitingResponse -= 1 }
      idle.responseEnded(context)
    }
    context.write(data, promise: promise)
  }

  /// Writes the answer when the request is one for a hot blob; false (and nothing written)
  /// otherwise.
  private func answer(_ request: HTTPRequestHead, context: ChannelHandlerContext) -> Bool {
    guard let digest = HotBlobFastPath.digest(answering: request) else { return false }
    let started = ContinuousClock.now
    guard let entry = fastPath.hot.entry(digest, now: started) else { return false }
    fastPath.accesses.record(digest)
    let answer = HotBlobWireAnswer(
      entry: entry, request: request.headers, includeBody: request.method != .HEAD)
    var headers = answer.headers
    // What Hummingbird's `Application` adds to every response, in the same order.
    headers.add(name: HTTPField.Name.date.rawName, value: date.now())
    if let serverName = fastPath.serverName {
      headers.add(name: HTTPField.Name.server.rawName, value: serverName)
    }
    let head = HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers)
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    if let body = answer.body {
      context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    }
    context.write(wrapOutboundOut(.end(nil)), promise: nil)
    idle.responseEnded(context)
    // Hummingbird's request loop ends after a request saying exactly this, then closes its output.
    if HotBlobFastPath.combined(request.headers, .connection) == "close" {
      state = .closed
      context.flush()
      context.close(mode: .output, promise: nil)
    } else {
      state = .answered
      unflushed = true
    }
    let status = Int(answer.status.code)
    fastPath.recorded(
      request, in: requestMetrics(status: status), status: status, bytes: answer.bodyBytes,
      duration: ContinuousClock.now - started)
    return true
  }

  private func requestMetrics(status: Int) -> RequestMetrics {
    if let known = metricsByStatus[status] { return known }
    let made = fastPath.metrics.requestMetrics(route: .blobs, status: status)
    metricsByStatus[status] = made
    return made
  }
}
