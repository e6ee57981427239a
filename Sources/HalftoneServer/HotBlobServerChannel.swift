import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with a `HotBlobChannelHandler` in its pipeline.
///
/// Not through `HTTP1Channel.Configuration.additionalChannelHandlers`: those go before
/// Hummingbird's `HTTPConnectionStateHandler`, which would then never see the requests answered
/// on the fast path, and would close a busy keep-alive connection at its idle timeout, or close
/// one at graceful shutdown while a request on it is being read. Placed right after that
/// handler instead, the pipeline is:
///
///     HTTP/1 decoder/encoder → HTTP1ToHTTPServerCodec → HTTPConnectionStateHandler
///       → HotBlobChannelHandler → NIOAsyncChannel (Hummingbird's request loop)
///
/// Pipelining is not handled by NIO here (Hummingbird turns `HTTPServerPipelineHandler` off and
/// answers a connection's requests one by one); `HotBlobChannelHandler` keeps the order itself.
struct HotBlobServerChannel: ServerChildChannel {
  typealias Value = HTTP1Channel.Value

  let http1: HTTP1Channel
  let fastPath: HotBlobFastPath

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    let fastPath = self.fastPath
    return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
      let pipeline = channel.pipeline.syncOperations
      let state = try pipeline.handler(type: HTTPConnectionStateHandler.self)
      try pipeline.addHandler(HotBlobChannelHandler(fastPath: fastPath), position: .after(state))
      return value
    }
  }

  func handle(value: Value, logger: Logger) async {
    await http1.handle(value: value, logger: logger)
  }
}

extension HTTPServerBuilder {
  /// HTTP/1.1 as `.http1(configuration:)` builds it, with hot blobs answered on the event loop.
  static func http1(
    configuration: HTTP1Channel.Configuration, hotBlobs fastPath: HotBlobFastPath
  ) -> HTTPServerBuilder {
    HTTPServerBuilder { responder in
      HotBlobServerChannel(
        http1: HTTP1Channel(responder: responder, configuration: configuration),
        fastPath: fastPath)
    }
  }
}
