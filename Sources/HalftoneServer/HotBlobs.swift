import Foundation
import HalftoneCore
import HalftoneStore
import Hummingbird
import NIOHTTP1

/// Recently served small blobs, kept in memory with their response headers ready.
///
/// A hit costs one lock and one dictionary lookup: no `open`, `fstat`, `pread`, `close`, no copy
/// (every response shares the one buffer), no header building. Bounded by `budget` bytes and
/// `maxEntryBytes` per blob; over budget, entries are evicted in no particular order (random
/// eviction keeps the hot set under skewed traffic without LRU bookkeeping on every hit).
///
/// Blobs never change, so an entry can only go stale by the blob being deleted (`gc`). Entries
/// expire after `lifetime` so a deleted blob stops being served soon after.
final class HotBlobs: Sendable {
  struct Entry: Sendable {
    var bytes: ByteBuffer
    /// `Content-Type`, `Content-Length`, `ETag` and the caching headers of a full 200 answer.
    var headers: HTTPFields
    /// The same headers as HTTP/1 writes them, for `HotBlobChannelHandler`.
    var wireHeaders: HTTPHeaders
    var loaded: ContinuousClock.Instant
  }

  let budget: Int
  let maxEntryBytes: Int
  let lifetime: Duration
  private let state = Locked(State())

  private struct State {
    var entries: [Digest: Entry] = [:]
    var bytes = 0
  }

  init(budget: Int, maxEntryBytes: Int, lifetime: Duration) {
    self.budget = budget
    self.maxEntryBytes = min(maxEntryBytes, budget)
    self.lifetime = lifetime
  }

  /// Whether a blob of `size` bytes may be kept.
  func accepts(size: Int) -> Bool { size <= maxEntryBytes && budget > 0 }

  /// The entry of `digest` if present and younger than `lifetime`.
  func entry(_ digest: Digest, now: ContinuousClock.Instant) -> Entry? {
    guard budget > 0 else { return nil }
    return state.withLock { state in
      guard let entry = state.entries[digest] else { return nil }
      guard now - entry.loaded < lifetime else {
        state.entries[digest] = nil
        state.bytes -= entry.bytes.readableBytes
        return nil
      }
      return entry
    }
  }

  func insert(_ digest: Digest, _ entry: Entry) {
    let size = entry.bytes.readableBytes
    guard accepts(size: size) else { return }
    state.withLock { state in
      if let old = state.entries.updateValue(entry, forKey: digest) {
        state.bytes -= old.bytes.readableBytes
      }
      state.bytes += size
      while state.bytes > budget, let victim = state.entries.first(where: { $0.key != digest }) {
        state.entries[victim.key] = nil
        state.bytes -= victim.value.bytes.readableBytes
      }
    }
  }

  /// Bytes held now.
  var bytes: Int { state.withLock { $0.bytes } }
}
