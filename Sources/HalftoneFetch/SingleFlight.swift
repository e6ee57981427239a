import Foundation

/// Runs one piece of work per key at a time and hands its value to every caller that asked while it
/// ran ("single-flight", Nuke's task coalescing). A caller whose task is cancelled leaves with
/// `cancelledValue`; the work itself is cancelled only when every caller has left.
final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
  /// Guarded by `SingleFlight.lock`.
  private final class Flight: @unchecked Sendable {
    var waiters: [UInt64: CheckedContinuation<Value, Never>] = [:]
    /// Waiters that joined but have not parked their continuation yet.
    var joining: Set<UInt64> = []
    /// Waiters cancelled before they parked: they resume at once when they do.
    var leftEarly: Set<UInt64> = []
    var value: Value?
    var task: Task<Void, Never>?
    var abandoned = false
    var activeWaiters: Int { waiters.count + joining.count - leftEarly.count }
  }

  private let lock = NSLock()
  private var flights: [Key: Flight] = [:]
  private var nextWaiterID: UInt64 = 0

  /// Callers currently waiting on `key` (for tests that need every caller to have joined).
  func waiterCount(for key: Key) -> Int {
    lock.withLock { flights[key]?.activeWaiters ?? 0 }
  }

  func run(
    _ key: Key, cancelledValue: @escaping @Sendable () -> Value,
    work: @escaping @Sendable () async -> Value
  ) async -> Value {
    let (flight, waiterID, isNew) = lock.withLock {
      nextWaiterID += 1
      let existing = flights[key]
      let flight = existing ?? Flight()
      flights[key] = flight
      flight.joining.insert(nextWaiterID)
      return (flight, nextWaiterID, existing == nil)
    }
    if isNew {
      let task = Task { [self] in
        let value = await work()
        finish(key, flight, with: value)
      }
      lock.withLock {
        if flight.abandoned { task.cancel() }
        flight.task = task
      }
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let immediate: Value? = lock.withLock {
          flight.joining.remove(waiterID)
          if let value = flight.value { return value }
          if flight.leftEarly.remove(waiterID) != nil { return cancelledValue() }
          flight.waiters[waiterID] = continuation
          return nil
        }
        if let immediate { continuation.resume(returning: immediate) }
      }
    } onCancel: {
      leave(key, flight, waiterID, cancelledValue: cancelledValue)
    }
  }

  private func leave(
    _ key: Key, _ flight: Flight, _ waiterID: UInt64, cancelledValue: @Sendable () -> Value
  ) {
    let continuation: CheckedContinuation<Value, Never>? = lock.withLock {
      guard flight.value == nil else { return nil }
      let parked = flight.waiters.removeValue(forKey: waiterID)
      if parked == nil, flight.joining.contains(waiterID) { flight.leftEarly.insert(waiterID) }
      if flight.activeWaiters == 0 {
        // Nobody wants the result any more: stop the work and let the next caller start afresh.
        flight.abandoned = true
        flight.task?.cancel()
        if flights[key] === flight { flights[key] = nil }
      }
      return parked
    }
    continuation?.resume(returning: cancelledValue())
  }

  private func finish(_ key: Key, _ flight: Flight, with value: Value) {
    let waiters = lock.withLock {
      flight.value = value
      if flights[key] === flight { flights[key] = nil }
      defer { flight.waiters = [:] }
      return Array(flight.waiters.values)
    }
    for waiter in waiters { waiter.resume(returning: value) }
  }
}
