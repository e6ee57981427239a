import Foundation

/// The wait for a result took longer than allowed.
struct DeadlineExceeded: Error {}

/// Waits for work at most a given time.
///
/// Structured: the work runs as a child task, raced against a timer. Whichever ends first
/// cancels the other, so a waiter whose deadline passed, or whose own task is cancelled (its
/// client hung up), stops waiting at once. Work shared through a `Coalescer` then goes on only
/// while another caller waits for it (or it was detached: `onExpiry` runs when the deadline
/// passes, before the work is cancelled).
enum Deadline {
  static func run<T: Sendable>(
    seconds: TimeInterval, onExpiry: @escaping @Sendable () -> Void = {},
    _ work: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
      group.addTask { try await work() }
      group.addTask {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        onExpiry()
        throw DeadlineExceeded()
      }
      defer { group.cancelAll() }
      guard let first = try await group.next() else { throw CancellationError() }
      return first
    }
  }
}
