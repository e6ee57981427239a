#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a lock: the one lock type of Halftone, for the little mutable state that threads,
/// tasks and C callbacks share (counters, caches of metric handles, a transfer's cancel flag…).
///
/// A class, so that callers can hand the same lock to escaping closures and to several owners.
/// Keep the critical sections short and never `await` or block inside one.
///
/// A `pthread_mutex_t` rather than `Synchronization.Mutex`: both are a futex on Linux when
/// uncontended, but ThreadSanitizer intercepts the pthread calls and cannot see inside the Swift
/// standard library's atomics, so with `Mutex` every state guarded here was reported as a race
/// (`scripts/sanitize thread`).
///
/// ```swift
/// let hits = Locked(0)
/// hits.withLock { $0 += 1 }
/// let seen = hits.withLock { $0 }
/// ```
public final class Locked<State>: @unchecked Sendable {
  // @unchecked: `state` is only reached through `withLock`, under `mutex`.
  @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
  @usableFromInline var state: State

  /// A lock guarding `state`, which from now on is only reached through `withLock`.
  public init(_ state: consuming sending State) {
    mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "pthread_mutex_init failed: \(status)")
    self.state = state
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
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
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&state)
  }
}
