import HalftoneCore
import NIOCore

/// The end of one client connection, for work that should stop when nobody can receive its
/// answer (an on-demand render whose client hung up).
///
/// Ended when the client closes its side of the connection (Hummingbird allows half-closed
/// connections, so the channel itself stays open until the answer is written) or the channel
/// closes; callbacks registered later run at once.
final class ConnectionEnd: Sendable {
  private struct State {
    var ended = false
    var callbacks: [@Sendable () -> Void] = []
  }

  private let state = Locked(State())

  /// Runs `callback` once the connection has ended (now, if it has).
  func onEnd(_ callback: @escaping @Sendable () -> Void) {
    let now = state.withLock { state -> Bool in
      if state.ended { return true }
      state.callbacks.append(callback)
      return false
    }
    if now { callback() }
  }

  fileprivate func end() {
    let callbacks = state.withLock { state -> [@Sendable () -> Void] in
      guard !state.ended else { return [] }
      state.ended = true
      defer { state.callbacks = [] }
      return state.callbacks
    }
    for callback in callbacks { callback() }
  }

  /// The connection end of `channel`, when its pipeline has a `ConnectionEndHandler`.
  static func of(_ channel: any Channel) async -> ConnectionEnd? {
    try? await channel.pipeline.handler(type: ConnectionEndHandler.self).map(\.end).get()
  }
}

/// Ends the channel's `ConnectionEnd` when the client closes its side or the channel goes away.
/// Sendable: it holds nothing but the (Sendable) end.
final class ConnectionEndHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = NIOAny

  let end = ConnectionEnd()

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? ChannelEvent, case .inputClosed = event { end.end() }
    context.fireUserInboundEventTriggered(event)
  }

  func channelInactive(context: ChannelHandlerContext) {
    end.end()
    context.fireChannelInactive()
  }
}
