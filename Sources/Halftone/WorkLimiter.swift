import Dispatch

/// An async counting semaphore: at most `limit` holders at once, the others wait in FIFO order.
/// Used to bound blocking work: thumbnail renders, one per core (prefetch) or per worker (server),
/// and the store's writes.
public actor WorkLimiter {
  public let limit: Int
  private var holders = 0
  private var waiters: [CheckedContinuation<Void, Never>] = []

  public init(limit: Int) {
    precondition(limit > 0, "a work limiter needs at least one slot")
    self.limit = limit
  }

  /// Waits for a slot.
  public func acquire() async {
    if holders < limit {
      holders += 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  /// Gives a slot back, handing it straight to the longest waiter if there is one.
  public func release() {
    if waiters.isEmpty {
      holders -= 1
    } else {
      waiters.removeFirst().resume()
    }
  }

  /// Runs blocking `work` (CPU-bound, or waiting on fsync) on a Dispatch worker thread while
  /// holding a slot, so it never blocks the cooperative thread pool that drives the fetches.
  public func runBlocking<T: Sendable>(
    _ work: @escaping @Sendable () throws -> T
  ) async throws -> T {
    await acquire()
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
      DispatchQueue.global(qos: .userInitiated).async {
        continuation.resume(returning: Result { try work() })
      }
    }
    release()
    return try result.get()
  }
}
