import Foundation
import HalftoneCore
import HalftoneStore
import Logging
import ServiceLifecycle

/// Remembers which blobs were served and writes their access times to the index in batches, so a
/// hit never waits for SQLite: the request path only inserts a digest into an in-memory set.
///
/// A `Service`: it flushes every `interval` seconds and once more at shutdown. Access times feed
/// `halftone gc`'s least-recently-used eviction, where minutes of imprecision do not matter.
final class AccessRecorder: Service, Sendable {
  private let cache: Cache
  private let interval: TimeInterval
  private let limit: Int
  private let logger: Logger
  private let pending = Locked<Set<Digest>>([])
  /// Wakes the flush loop: every `interval`, and early when the set is full.
  private let overflow: AsyncStream<Void>.Continuation
  private let overflows: AsyncStream<Void>

  init(cache: Cache, interval: TimeInterval, limit: Int, logger: Logger) {
    self.cache = cache
    self.interval = interval
    self.limit = limit
    self.logger = logger
    (overflows, overflow) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
  }

  /// Notes that `digest` was served (cheap: one lock and one set insertion).
  func record(_ digest: Digest) {
    let full = pending.withLock { set -> Bool in
      set.insert(digest)
      return set.count >= limit
    }
    if full { overflow.yield() }
  }

  /// Writes every pending access time now.
  func flush() {
    let batch = pending.withLock { set -> Set<Digest> in
      defer { set.removeAll(keepingCapacity: true) }
      return set
    }
    guard !batch.isEmpty else { return }
    var failures = 0
    var lastError: StoreError?
    for digest in batch {
      do { try cache.touch(digest) } catch {
        failures += 1
        lastError = error
      }
    }
    if let lastError {
      logger.warning(
        "could not record access times of \(failures) of \(batch.count) blobs: \(lastError)")
    }
  }

  /// Flushes every `interval` (or when full) until graceful shutdown, then once more.
  func run() async throws {
    let wake = overflow
    let interval = self.interval
    let timer = Task {
      while !Task.isCancelled {
        try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
        wake.yield()
      }
    }
    defer { timer.cancel() }
    for await _ in overflows.cancelOnGracefulShutdown() { flush() }
    flush()
  }
}
