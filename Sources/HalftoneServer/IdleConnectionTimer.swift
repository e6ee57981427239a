import NIOCore
import NIOHTTP1

/// The idle timeout of a connection with a `HotBlobChannelHandler`, which sees every request and
/// response of it. (Hummingbird's `HTTPConnectionStateHandler` sees only the requests Hummingbird
/// answers, so it would close a connection busy with hot blobs; its timeout is off then.)
///
/// The rules are Hummingbird's: the connection is closed once nothing was read and no answer
/// ended for `timeout`, but never while a request has been read and its answer is being made.
/// Two more bound what a client can hold: a request must be read whole (head to end) within
/// `timeout` of its head, however its body trickles in, and a connection whose answers make no
/// progress for `timeout` (unwritable, and no byte of what waits sent: the client reads nothing)
/// is closed, as nginx's `send_timeout` does. A slow reader that takes some bytes in every
/// `timeout` keeps its connection.
/// Used on the connection's event loop only.
final class IdleConnectionTimer {
  private let timeout: TimeAmount?
  private var requestsInProgress = 0
  private var isRequestBeingRead = false
  private var lastActive = NIODeadline.now()
  private var isActive = false
  private var scheduled: Scheduled<Void>?
  /// Since when the channel has been unwritable without progress; `nil` while it is writable.
  private var unwritableSince: NIODeadline?
  /// The bytes waiting to be sent when `unwritableSince` was last set.
  private var waitingBytes = 0

  /// `nil`: connections are never closed for being idle.
  init(timeout: TimeAmount?) {
    self.timeout = timeout
  }

  func connectionStarted(_ context: ChannelHandlerContext) {
    isActive = true
    if let timeout { schedule(context, at: .now() + timeout) }
  }

  func connectionEnded() { isActive = false }

  func cancel() {
    scheduled?.cancel()
    scheduled = nil
  }

  func read(_ part: HTTPServerRequestPart) {
    switch part {
    case .head:
      lastActive = .now()
      isRequestBeingRead = true
      requestsInProgress += 1
    case .body:
      break  // a body trickling in does not keep its request alive
    case .end:
      lastActive = .now()
      isRequestBeingRead = false
    }
  }

  /// The channel became writable or unwritable.
  func writabilityChanged(_ context: ChannelHandlerContext) {
    if context.channel.isWritable {
      unwritableSince = nil
    } else if unwritableSince == nil {
      let now = NIODeadline.now()
      unwritableSince = now
      waitingBytes = Self.bytesWaiting(context)
      if let timeout { schedule(context, at: now + timeout) }
    }
  }

  /// The last part of an answer was written (by Hummingbird or the fast path).
  func responseEnded(_ context: ChannelHandlerContext) {
    requestsInProgress = max(0, requestsInProgress - 1)
    guard requestsInProgress == 0, isActive, let timeout else { return }
    lastActive = .now()
    schedule(context, at: lastActive + timeout)
  }

  /// The bytes written to the channel and not yet sent.
  private static func bytesWaiting(_ context: ChannelHandlerContext) -> Int {
    (try? context.channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes)) ?? 0
  }

  private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
    guard scheduled == nil else { return }
    scheduled = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
      self.expired(context)
    }
  }

  private func expired(_ context: ChannelHandlerContext) {
    scheduled = nil
    guard let timeout, isActive else { return }
    // Answers waiting for a client that reads none of them.
    if let since = unwritableSince, requestsInProgress > 0 {
      let now = NIODeadline.now()
      let waiting = Self.bytesWaiting(context)
      if waiting < waitingBytes {
        // Some was sent since: a slow reader, not a dead one. Count again from now.
        (unwritableSince, waitingBytes) = (now, waiting)
        schedule(context, at: now + timeout)
      } else if now >= since + timeout {
        context.close(promise: nil)
      } else {
        schedule(context, at: since + timeout)
      }
      return
    }
    // A request read and still being answered: the answer's end schedules the next check.
    if !isRequestBeingRead, requestsInProgress > 0 { return }
    if NIODeadline.now() >= lastActive + timeout {
      context.close(promise: nil)
    } else {
      schedule(context, at: lastActive + timeout)
    }
  }
}
