import Foundation

/// The wait for a result took longer than allowed.
struct DeadlineExceeded: Error {}

/// Waits for work at most a given time, without waiting for the work to stop.
///
/// A task group would not do: it waits for every child before returning, and work shared through
/// a `SingleFlight` does not stop when one of its waiters is cancelled. Here the caller is resumed
/// by whichever comes first, the result or the deadline; the work runs on in its own task.
enum Deadline {
  static func run<T: Sendable>(
    seconds: TimeInterval, _ work: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
      once.install(continuation)
      let timer = Task {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        once.resume(with: .failure(DeadlineExceeded()))
      }
      Task {
        let result: Result<T, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        timer.cancel()
        once.resume(with: result)
      }
    }
  }
}

/// A continuation resumed exactly once, by the first of several racers.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<T, any Error>?

  func install(_ continuation: CheckedContinuation<T, any Error>) {
    lock.withLock { self.continuation = continuation }
  }

  func resume(with result: Result<T, any Error>) {
    let taken = lock.withLock { () -> CheckedContinuation<T, any Error>? in
      defer { continuation = nil }
      return continuation
    }
    taken?.resume(with: result)
  }
}
