import Foundation
import HalftoneStore
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1

@testable import HalftoneServer

/// The fast path's request handling: raw bytes from a client, through `InputDrain`, NIO's HTTP/1
/// decoder and `RequestGuard`, into `HotBlobChannelHandler` in an `EmbeddedChannel`, with one
/// blob in memory: the server's pipeline up to Hummingbird. Requests it does not answer go to a
/// stand-in for Hummingbird that answers them only after the whole input is read (as
/// Hummingbird answers later, from another task), so the pipelining rules are exercised: no hot
/// answer may be written while a forwarded request waits for its answer, every hot answer is one
/// the blob allows, and nothing is answered after an answer that closes the connection.
enum FastPathTarget {
  static let blob = Data("GIF89a fast-path fuzz blob: twenty-eight bytes".utf8)
  static let digest = Digest.of(blob)

  static let fastPath: HotBlobFastPath = {
    do {
      let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("halftone-fuzz-fast-path-\(getpid())")
      let cache = try Cache.open(root: root)
      let hot = HotBlobs(budget: 1 << 20, maxEntryBytes: 1 << 16, lifetime: .seconds(86_400))
      hot.insert(digest, BlobResponder.entry(digest, bytes: ByteBuffer(bytes: blob)))
      let metrics = ServerMetrics()
      let writer = try AccessLogWriter(
        destination: .file("/dev/null"), capacity: 1024, onDrop: {})
      return HotBlobFastPath(
        hot: hot,
        accesses: AccessRecorder(
          cache: cache, interval: 3600, limit: 1 << 20, logger: Logger(label: "fuzz")),
        metrics: metrics, accessLog: AccessLog(writer: writer), serverName: "halftone")
    } catch {
      fatalError("the fast-path fuzz set-up failed: \(error)")
    }
  }()

  static func prepare() { _ = fastPath }

  static func run(_ data: Data) {
    let standIn = StandInResponder()
    let watcher = AnswerWatcher(standIn: standIn)
    let channel = EmbeddedChannel()
    do {
      let pipeline = channel.pipeline.syncOperations
      let drain = InputDrain()
      try pipeline.addHandler(drain)
      try pipeline.addHandler(
        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
      try pipeline.addHandler(HTTPResponseEncoder())
      try pipeline.addHandler(watcher)
      try pipeline.addHandler(
        RequestGuard(limits: RequestGuard.Limits(), accessLog: fastPath.accessLog, drain: drain))
      try pipeline.addHandler(HotBlobChannelHandler(fastPath: fastPath, idleTimeout: nil))
      try pipeline.addHandler(standIn)
      // An EmbeddedChannel starts inactive: connecting makes it a live connection (and its
      // close at `finish` then tears the pipeline down, breaking the handler–context cycles).
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
    } catch {
      fatalError("the fast-path pipeline could not be built: \(error)")
    }
    // A decoding error (malformed request) is thrown here and ends the input, as it ends the
    // connection in the server.
    _ = try? channel.writeInbound(ByteBuffer(bytes: data))
    standIn.answerAll(channel: channel)
    var output = ByteBuffer()
    while case .some(var part) = try? channel.readOutbound(as: ByteBuffer.self) {
      output.writeBuffer(&part)
    }
    if output.readableBytes > 0 {
      invariant(
        output.readableBytesView.starts(with: "HTTP/1.1 ".utf8),
        "the output does not start with a status line")
    }
    // The guard closes gracefully, on timers (the close grace, the linger): close, let the
    // embedded clock run past them, then tear down.
    channel.close(promise: nil)
    channel.embeddedEventLoop.advanceTime(by: .seconds(60))
    _ = try? channel.finish(acceptAlreadyClosed: true)
  }
}

/// Hummingbird's place in the pipeline: takes every forwarded request and answers each with a
/// 404 only when told to, in order.
private final class StandInResponder: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private var context: ChannelHandlerContext?
  /// Forwarded requests whose head arrived and that are not answered yet.
  private(set) var waiting = 0

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }
  // The context holds the pipeline, which holds this handler: let go of it when removed.
  func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head = unwrapInboundIn(data) { waiting += 1 }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }

  func answerAll(channel: EmbeddedChannel) {
    guard let context, channel.isActive else { return }
    while waiting > 0 {
      waiting -= 1
      var headers = HTTPHeaders()
      headers.add(name: "Content-Length", value: "0")
      context.write(
        wrapOutboundOut(
          .head(HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers))),
        promise: nil)
      context.write(wrapOutboundOut(.end(nil)), promise: nil)
    }
    context.flush()
  }
}

/// Sees every answer on its way to the encoder: one that carries the hot blob's `ETag` was
/// written by the fast path, which must not answer while an earlier request is still waiting;
/// after an answer saying `Connection: close`, nothing more may be answered.
private final class AnswerWatcher: ChannelOutboundHandler {
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

  private let standIn: StandInResponder
  private let etag = "\"\(FastPathTarget.digest.hex)\""

  private var closed = false

  init(standIn: StandInResponder) { self.standIn = standIn }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .head(let head) = unwrapOutboundIn(data) {
      invariant(!closed, "an answer after one that closed the connection")
      if head.headers["Connection"].contains(where: { $0.lowercased() == "close" }) {
        closed = true
      }
    }
    if case .head(let head) = unwrapOutboundIn(data), head.headers["ETag"].first == etag {
      invariant(standIn.waiting == 0, "a hot answer overtook a forwarded request")
      invariant(
        [200, 206, 304, 416].contains(Int(head.status.code)),
        "the fast path answered \(head.status.code)")
      if head.status == .ok, let length = head.headers["Content-Length"].first {
        invariant(length == String(FastPathTarget.blob.count), "Content-Length \(length)")
      }
    }
    context.write(data, promise: promise)
  }
}
