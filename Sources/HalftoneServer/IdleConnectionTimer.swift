import NIOCore
import NIOHTTP1

/// The idle timeout of a connection with a `HotBlobChannelHandler`, which sees every request and
/// response of it. (Hummingbird's `HTTPConnectionStateHandler` sees only the requests Hummingbird
/// answers, so it would close a connection busy with hot blobs; its timeout is off then.)
///
/// The rules are Hummingbird's: the connection is closed once nothing was read and no answer
/// ended for `timeout`, but never while a request has been read and its answer is being made.
/// Used on the connection's event loop only.
final class IdleConnectionTimer {
  private let timeout: TimeAmount?
  private var requestsInProgress = 0
  private var isRequestBeingRead = false
  private var lastActive = NIODeadline.now()
  private var isActive = false
  private var scheduled: Scheduled<Void>?

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
    lastActive = .now()
    switch part {
    case .head:
      isRequestBeingRead = true
      requestsInProgress += 1
    case .body:
      break
    case .end:
      isRequestBeingRead = false
    }
  }

  /// The last part of an answer was written (by Hummingbird or the fast path).
  func responseEnded(_ context: ChannelHandlerContext) {
    requestsInProgress = max(0, requestsInProgress - 1)
    guard requestsInProgress == 0, isActive, let timeout else { return }
    lastActive = .now()
    schedule(context, at: lastActive + timeout)
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
    // A request read and still being answered: the answer's end schedules the next check.
    if !isRequestBeingRead, requestsInProgress > 0 { return }
    if NIODeadline.now() >= lastActive + timeout {
      context.close(promise: nil)
    } else {
      schedule(context, at: lastActive + timeout)
    }
  }
}
