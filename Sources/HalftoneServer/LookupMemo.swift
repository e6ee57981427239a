import Foundation
import Halftone
import HalftoneCore
import HalftoneStore

/// Recent `/thumbnails` hits: (candidate URLs, spec keys) → the thumbnail found, for a few
/// seconds, so a popular thumbnail costs no SQLite reads.
///
/// Only hits are remembered (a miss may be filled by a prefetch at any moment). A remembered hit
/// can be at most `lifetime` old: a re-fetch that replaces the original (`prefetch --refresh`)
/// is seen that much later, and the old thumbnail's blob is still valid in the meantime.
final class LookupMemo: Sendable {
  let capacity: Int
  let lifetime: Duration
  private let state = Locked(
    [String: (answer: ResolvedThumbnail, stored: ContinuousClock.Instant)]())

  init(capacity: Int, lifetime: Duration) {
    self.capacity = capacity
    self.lifetime = lifetime
  }

  func thumbnail(for key: String, now: ContinuousClock.Instant) -> ResolvedThumbnail? {
    guard capacity > 0 else { return nil }
    return state.withLock { entries in
      guard let entry = entries[key] else { return nil }
      guard now - entry.stored < lifetime else {
        entries[key] = nil
        return nil
      }
      return entry.answer
    }
  }

  func remember(_ answer: ResolvedThumbnail, for key: String, now: ContinuousClock.Instant) {
    guard capacity > 0 else { return }
    state.withLock { entries in
      // Full: drop an arbitrary entry (cheap, and fair enough for a seconds-long memo).
      if entries.count >= capacity, entries[key] == nil, let victim = entries.keys.first {
        entries[victim] = nil
      }
      entries[key] = (answer, now)
    }
  }

  /// Forgets `key` (its thumbnail turned out to be gone).
  func forget(_ key: String) {
    state.withLock { entries in entries[key] = nil }
  }
}
