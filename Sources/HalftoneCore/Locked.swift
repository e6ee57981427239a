import Synchronization

/// A value behind a lock: the one lock type of Halftone, for the little mutable state that threads,
/// tasks and C callbacks share (counters, caches of metric handles, a transfer's cancel flag…).
///
/// A class around `Synchronization.Mutex`: a `Mutex` is noncopyable, so it can only be stored in
/// place, while callers need to hand the same lock to escaping closures and to several owners.
/// Keep the critical sections short and never `await` or block inside one.
///
/// ```swift
/// let hits = Locked(0)
/// hits.withLock { $0 += 1 }
/// let seen = hits.withLock { $0 }
/// ```
public final class Locked<State>: Sendable {
  @usableFromInline let mutex: Mutex<State>

  /// A lock guarding `state`, which from now on is only reached through `withLock`.
  public init(_ state: consuming sending State) {
    mutex = Mutex(state)
  }

  /// Runs `body` with the state, holding the lock, and returns what it returns. Not reentrant:
  /// calling `withLock` on the same value inside `body` deadlocks.
  ///
  /// Inlinable so that callers in other modules get it specialized: unspecialized, every call
  /// instantiates generic metadata for its closure at run time, a cost the server's hot path paid
  /// per request.
  @inlinable
  public func withLock<Result: ~Copyable, Failure: Error>(
    _ body: (inout sending State) throws(Failure) -> sending Result
  ) throws(Failure) -> sending Result {
    try mutex.withLock(body)
  }
}
