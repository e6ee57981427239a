import NIOCore

/// Reads and drops what a client still sends while its connection closes (a "lingering close",
/// as nginx and Apache do): closing a socket with unread input makes the kernel reset the
/// connection, and the reset destroys the answers the client has not read yet.
///
/// First in the pipeline, before NIO's HTTP/1 decoder, so that dropped bytes are never parsed or
/// buffered. `RequestGuard` starts it once the output is closed (every answer sent) and closes the
/// channel when the client's input ends, after `RequestGuard.Limits.linger`, or when more than
/// `maxDroppedBytes` arrive.
final class InputDrain: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer

  /// Bytes dropped before the connection is closed regardless.
  static let maxDroppedBytes = 1 << 20

  private var draining = false
  private var dropped = 0

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard draining else { return context.fireChannelRead(data) }
    dropped += unwrapInboundIn(data).readableBytes
    if dropped > Self.maxDroppedBytes { context.close(promise: nil) }
  }

  /// From now on every byte read is dropped, and reading goes on (it may have been stopped).
  func start(_ channel: any Channel) {
    draining = true
    channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
    channel.read()
  }
}
