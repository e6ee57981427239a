import Foundation

/// A value guarded by a lock, for the little state shared between callers and the transfer thread.
///
/// `NSLock` rather than `Synchronization.Mutex` so the package keeps building for macOS 14.
final class Locked<State>: @unchecked Sendable {
  private var state: State
  private let lock = NSLock()

  init(_ state: State) { self.state = state }

  func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&state)
  }
}
