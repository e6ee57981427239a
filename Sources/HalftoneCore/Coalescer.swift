/// Runs one job per key at a time and hands its result to every caller that asked while it ran:
/// one fetch for many references to one master, one render for many identical requests.
///
/// Cancellation follows the callers, as Nuke's `TaskPool` does: a caller whose task is cancelled
/// leaves at once with `CancellationError`, and the job goes on for the callers that remain. When
/// the last caller has left, the job's task is cancelled and forgotten, so the next caller of the
/// key starts afresh rather than joining a job nobody wanted.
///
/// Entries live only while their job runs; callers check the durable index before coming here,
/// so nothing is remembered (and memory does not grow) once results are stored.
public final class Coalescer<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  /// One job and its callers. Mutated only while `state` is locked.
  private final class Flight: @unchecked Sendable {
    var waiters: [UInt64: CheckedContinuation<Value, any Error>] = [:]
    /// Callers that joined but have not parked their continuation yet.
    var joining: Set<UInt64> = []
    /// Callers cancelled before they parked: they leave as soon as they do.
    var leftEarly: Set<UInt64> = []
    var result: Result<Value, any Error>?
    var task: Task<Void, Never>?
    var abandoned = false
    /// Kept running when its callers leave (`detach`).
    var detached = false
    var activeWaiters: Int {
      waiters.count + joining.count - leftEarly.count + (detached ? 1 : 0)
    }
  }

  private struct State {
    var flights: [Key: Flight] = [:]
    var nextCaller: UInt64 = 0
  }

  private let state = Locked(State())

  public init() {}

  /// Callers waiting on `key` right now (tests use it to line up concurrent callers).
  public func waiterCount(for key: Key) -> Int {
    state.withLock { $0.flights[key]?.activeWaiters ?? 0 }
  }

  /// Jobs running right now.
  public var jobCount: Int { state.withLock { $0.flights.count } }

  /// Lets the job running for `key` finish even when every caller leaves (e.g. a request that
  /// gave up at its deadline, while the job goes on to store its result for the next one).
  /// Returns `false` when no job runs for `key`.
  @discardableResult
  public func detach(_ key: Key) -> Bool {
    state.withLock { state in
      guard let flight = state.flights[key] else { return false }
      flight.detached = true
      return true
    }
  }

  /// The result of `work` for `key`, sharing a job already running for it. Throws
  /// `CancellationError` when the calling task is cancelled before the job ends.
  public func run(
    _ key: Key, _ work: @escaping @Sendable () async throws -> Value
  ) async throws -> Value {
    let (flight, caller, isNew) = state.withLock { state in
      state.nextCaller += 1
      let existing = state.flights[key]
      let flight = existing ?? Flight()
      state.flights[key] = flight
      flight.joining.insert(state.nextCaller)
      return (flight, state.nextCaller, existing == nil)
    }
    if isNew {
      let task = Task { [self] in
        let result: Result<Value, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        finish(key, flight, with: result)
      }
      state.withLock { _ in
        if flight.abandoned { task.cancel() }
        flight.task = task
      }
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let immediate: Result<Value, any Error>? = state.withLock { _ in
          flight.joining.remove(caller)
          if let result = flight.result { return result }
          if flight.leftEarly.remove(caller) != nil { return .failure(CancellationError()) }
          flight.waiters[caller] = continuation
          return nil
        }
        if let immediate { continuation.resume(with: immediate) }
      }
    } onCancel: {
      leave(key, flight, caller)
    }
  }

  private func leave(_ key: Key, _ flight: Flight, _ caller: UInt64) {
    let parked: CheckedContinuation<Value, any Error>? = state.withLock { state in
      guard flight.result == nil else { return nil }
      let parked = flight.waiters.removeValue(forKey: caller)
      if parked == nil, flight.joining.contains(caller) { flight.leftEarly.insert(caller) }
      if flight.activeWaiters == 0 {
        // Nobody wants the result any more: stop the job and let the next caller start afresh.
        flight.abandoned = true
        flight.task?.cancel()
        if state.flights[key] === flight { state.flights[key] = nil }
      }
      return parked
    }
    parked?.resume(throwing: CancellationError())
  }

  private func finish(_ key: Key, _ flight: Flight, with result: Result<Value, any Error>) {
    let waiters = state.withLock { state in
      flight.result = result
      if state.flights[key] === flight { state.flights[key] = nil }
      defer { flight.waiters = [:] }
      return Array(flight.waiters.values)
    }
    for waiter in waiters { waiter.resume(with: result) }
  }
}
