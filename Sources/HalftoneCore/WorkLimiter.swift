import Dispatch

/// An async counting semaphore: at most `limit` holders at once, the others wait in FIFO order.
/// Bounds blocking work (thumbnail renders, one per core; store operations) and on-demand jobs.
///
/// A waiter whose task is cancelled leaves the queue at once with `CancellationError`, so work
/// nobody waits for any more never takes a slot.
public final class WorkLimiter: Sendable {
  public let limit: Int

  private struct State {
    var holders = 0
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    var nextWaiter: UInt64 = 0
    /// Waiters that have not queued their continuation yet.
    var arriving: Set<UInt64> = []
    /// Waiters cancelled before they queued their continuation.
    var cancelledEarly: Set<UInt64> = []
  }

  private let state = Locked(State())

  public init(limit: Int) {
    precondition(limit > 0, "a work limiter needs at least one slot")
    self.limit = limit
  }

  /// Holders right now (tests, metrics).
  public var holders: Int { state.withLock { $0.holders } }

  /// Waits for a slot; throws `CancellationError` (holding nothing) if the task is cancelled first.
  public func acquire() async throws {
    let id: UInt64? = state.withLock { state in
      if state.holders < limit {
        state.holders += 1
        return nil
      }
      state.nextWaiter += 1
      state.arriving.insert(state.nextWaiter)
      return state.nextWaiter
    }
    guard let id else { return }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Void, any Error>) in
        let cancelled = state.withLock { state in
          state.arriving.remove(id)
          if state.cancelledEarly.remove(id) != nil { return true }
          state.waiters.append((id, continuation))
          return false
        }
        if cancelled { continuation.resume(throwing: CancellationError()) }
      }
    } onCancel: {
      let removed = state.withLock { state -> CheckedContinuation<Void, any Error>? in
        if let index = state.waiters.firstIndex(where: { $0.id == id }) {
          return state.waiters.remove(at: index).continuation
        }
        // Not queued yet: it leaves when it arrives. Already granted a slot: it keeps it.
        if state.arriving.contains(id) { state.cancelledEarly.insert(id) }
        return nil
      }
      removed?.resume(throwing: CancellationError())
    }
  }

  /// Gives a slot back, handing it straight to the longest waiter if there is one.
  public func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
      if state.waiters.isEmpty {
        state.holders -= 1
        return nil
      }
      return state.waiters.removeFirst().continuation
    }
    next?.resume()
  }

  /// Runs `work` while holding a slot.
  public func withSlot<T: Sendable>(_ work: () async throws -> T) async throws -> T {
    try await acquire()
    defer { release() }
    return try await work()
  }

  /// Runs blocking `work` (CPU-bound, or waiting on fsync or SQLite) on a Dispatch worker thread
  /// while holding a slot, so it never blocks Swift's cooperative pool or an event loop.
  public func runBlocking<T: Sendable>(
    _ work: @escaping @Sendable () throws -> T
  ) async throws -> T {
    try await acquire()
    defer { release() }
    return try await Self.blocking(work)
  }

  /// Runs blocking `work` on a Dispatch worker thread, without a slot.
  public static func blocking<T: Sendable>(
    _ work: @escaping @Sendable () throws -> T
  ) async throws -> T {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
      DispatchQueue.global(qos: .userInitiated).async {
        continuation.resume(returning: Result { try work() })
      }
    }
    return try result.get()
  }
}
