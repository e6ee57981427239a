import Foundation

/// How hard Halftone may use one web archive. The defaults keep within what the Internet
/// Archive tolerates (it blocks clients that exceed its limits or ignore its 429s).
public struct ArchiveLimits: Sendable, Hashable {
  /// Index lookups (CDX queries, TimeGate requests) per minute.
  public var lookupsPerMinute: Double = 20
  /// Replays (capture downloads) per second.
  public var replaysPerSecond: Double = 2
  /// Captures tried per reference (a mismatching digest or a broken replay moves to the next).
  public var maxCaptures = 3
  /// Attempts per request on 429, 5xx and connection failures, the first included.
  public var maxAttempts = 3
  /// Consecutive failed requests after which the archive is not asked for `openDuration`
  /// (references fail at once with `archive_unavailable`; the prefetch goes on).
  public var failuresToOpen = 5
  public var openDuration: TimeInterval = 300
  /// Largest pause honoured from a `Retry-After`; one asking for longer opens the circuit.
  public var maxRetryAfter: TimeInterval = 120
  /// Backoff after a failure without `Retry-After`: this, doubled per attempt, jittered.
  public var baseBackoff: TimeInterval = 2
  /// Bytes of one index answer (a CDX query asks for a handful of rows).
  public var maxIndexBytes = 1 << 20
  /// Longest a request waits for its slot before the reference fails `archive_unavailable`;
  /// `nil`: as long as the pace asks (prefetch). `serve --on-demand` sets its deadline, so a
  /// dead image does not hold a worker for minutes.
  public var maxWait: TimeInterval? = nil

  public init() {}

  /// The first limit that makes no sense, as a message; `nil` when usable.
  public func problem() -> String? {
    if !(lookupsPerMinute > 0 && lookupsPerMinute.isFinite) {
      return "archive lookups per minute must be > 0, got \(lookupsPerMinute)"
    }
    if !(replaysPerSecond > 0 && replaysPerSecond.isFinite) {
      return "archive replays per second must be > 0, got \(replaysPerSecond)"
    }
    if maxCaptures < 1 { return "captures per reference must be at least 1" }
    if maxAttempts < 1 { return "archive attempts must be at least 1" }
    if failuresToOpen < 1 { return "failures to open the circuit must be at least 1" }
    return nil
  }
}
