import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with Halftone's handlers in its pipeline: a
/// `ConnectionEndHandler` first (so a request's work can stop when its client hangs up), a
/// `RequestGuard` after NIO's HTTP/1 codec, and with the fast path on, a `HotBlobChannelHandler`.
///
/// Not through `HTTP1Channel.Configuration.additionalChannelHandlers`, which go after the
/// conversion to swift-http-types: the handler sits right after NIO's HTTP/1 codec, so a hot
/// blob costs no conversion of its request or answer. The pipeline is:
///
///     InputDrain → ConnectionEndHandler → NIO HTTP/1 decoder/encoder → RequestGuard
///       → HotBlobChannelHandler → HTTP1ToHTTPServerCodec
///       → HTTPConnectionStateHandler → NIOAsyncChannel (Hummingbird's request loop)
///
/// `HTTPConnectionStateHandler` then sees only the requests Hummingbird answers. That is right
/// for graceful shutdown (it closes each connection once the requests Hummingbird has in hand are
/// answered; the fast path answers at once, and `RequestGuard` makes that close wait until every
/// answer written is sent), not for the idle timeout, which `http1` below therefore gives to the
/// fast-path handler instead.
///
/// Pipelining is not handled by NIO here (Hummingbird turns `HTTPServerPipelineHandler` off and
/// answers a connection's requests one by one); `HotBlobChannelHandler` keeps the order itself.
struct HalftoneServerChannel: ServerChildChannel {
  typealias Value = HTTP1Channel.Value

  let http1: HTTP1Channel
  /// `nil`: every request goes to Hummingbird (which then keeps the idle timeout itself).
  let fastPath: HotBlobFastPath?
  let idleTimeout: TimeAmount?
  let guardLimits: RequestGuard.Limits
  let accessLog: AccessLog

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    let fastPath = self.fastPath
    let idleTimeout = self.idleTimeout
    let (guardLimits, accessLog) = (self.guardLimits, self.accessLog)
    return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
      let pipeline = channel.pipeline.syncOperations
      try pipeline.addHandler(ConnectionEndHandler(), position: .first)
      let drain = InputDrain()
      try pipeline.addHandler(drain, position: .first)
      let codec = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
      try pipeline.addHandler(
        RequestGuard(limits: guardLimits, accessLog: accessLog, drain: drain),
        position: .before(codec))
      if let fastPath {
        try pipeline.addHandler(
          HotBlobChannelHandler(fastPath: fastPath, idleTimeout: idleTimeout),
          position: .before(codec))
      }
      return value
    }
  }

  func handle(value: Value, logger: Logger) async {
    await http1.handle(value: value, logger: logger)
  }
}

extension HTTPServerBuilder {
  /// HTTP/1.1 as `.http1(configuration:)` builds it, with Halftone's handlers; with `fastPath`,
  /// hot blobs are answered on the event loop (and the configuration's idle timeout is kept by
  /// the fast-path handler).
  static func http1(
    configuration: HTTP1Channel.Configuration, hotBlobs fastPath: HotBlobFastPath?,
    guardLimits: RequestGuard.Limits, accessLog: AccessLog
  ) -> HTTPServerBuilder {
    var withoutTimeout = configuration
    if fastPath != nil { withoutTimeout.idleTimeout = nil }
    let hummingbird = withoutTimeout
    let idleTimeout = configuration.idleTimeout
    return HTTPServerBuilder { responder in
      HalftoneServerChannel(
        http1: HTTP1Channel(responder: responder, configuration: hummingbird),
        fastPath: fastPath, idleTimeout: idleTimeout, guardLimits: guardLimits,
        accessLog: accessLog)
    }
  }
}
