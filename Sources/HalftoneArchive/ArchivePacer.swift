import Foundation
import HalftoneCore

/// One archive's pace: requests spaced to its rate limits, a pause for the whole archive when it
/// answers 429 or 503, and a circuit breaker that stops asking an archive that keeps failing.
///
/// Every request to the archive, from every reference, takes a slot here first, so the archive
/// never sees more than the configured rate however many references are in flight.
final class ArchivePacer: Sendable {
  enum Lane: Sendable { case lookup, replay }

  private struct State {
    var nextLookup = Date.distantPast
    var nextReplay = Date.distantPast
    var pausedUntil = Date.distantPast
    var consecutiveFailures = 0
    var openUntil: Date?
    var openReason = ""
  }

  let name: String
  let limits: ArchiveLimits
  private let state = Locked(State())

  init(name: String, limits: ArchiveLimits) {
    self.name = name
    self.limits = limits
  }

  /// Waits for the next slot of `lane`; throws `archive_unavailable` while the circuit is open
  /// or when the slot is further than `limits.maxWait` away, `CancellationError` when the
  /// caller left.
  func acquire(_ lane: Lane) async throws {
    let started = Date()
    while true {
      let now = Date()
      let wait: TimeInterval? = try state.withLock { (state) throws(ArchiveError) in
        if let open = state.openUntil {
          if now < open {
            throw ArchiveError(
              kind: .archiveUnavailable,
              message: "\(name) is not asked until \(Self.format(open)): \(state.openReason)")
          }
          state.openUntil = nil  // half open: this request probes it
        }
        let next = lane == .lookup ? state.nextLookup : state.nextReplay
        let start = max(now, next, state.pausedUntil)
        if start > now { return start.timeIntervalSince(now) }
        let spacing =
          lane == .lookup ? 60 / limits.lookupsPerMinute : 1 / limits.replaysPerSecond
        switch lane {
        case .lookup: state.nextLookup = now.addingTimeInterval(spacing)
        case .replay: state.nextReplay = now.addingTimeInterval(spacing)
        }
        return nil
      }
      guard let wait else { return }
      if let maxWait = limits.maxWait,
        now.addingTimeInterval(wait).timeIntervalSince(started) > maxWait
      {
        throw ArchiveError(
          kind: .archiveUnavailable,
          message: "\(name) has no free slot within \(Int(maxWait)) s (its rate limit or a pause)")
      }
      try await Task.sleep(nanoseconds: UInt64(min(wait, 3600) * 1e9))
    }
  }

  /// The archive answered as an archive should (a capture, or none): the failure count restarts.
  func succeeded() {
    state.withLock { $0.consecutiveFailures = 0 }
  }

  /// The archive failed a request (5xx, 429, no connection). Pauses every request to it for
  /// `pause` seconds; opens the circuit after `failuresToOpen` failures in a row, or at once when
  /// the archive asks for a pause longer than `maxRetryAfter`.
  func failed(pause: TimeInterval, why: String) {
    let now = Date()
    state.withLock { state in
      state.consecutiveFailures += 1
      if pause > limits.maxRetryAfter {
        state.openUntil = now.addingTimeInterval(pause)
        state.openReason = "it asked for a pause of \(Int(pause)) s (\(why))"
      } else {
        state.pausedUntil = max(state.pausedUntil, now.addingTimeInterval(pause))
        if state.consecutiveFailures >= limits.failuresToOpen {
          state.openUntil = now.addingTimeInterval(limits.openDuration)
          state.openReason =
            "\(state.consecutiveFailures) requests in a row failed, the last: \(why)"
        }
      }
    }
  }

  private static func format(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
  }
}
