import Foundation
import HalftoneCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The access log's own thread: requests hand it a small entry (no formatting, no I/O on the
/// event loop); it formats entries into lines and writes them in batches.
///
/// At most `capacity` entries wait. When the destination is slower than the requests (a full
/// disk, a pipe nobody reads) new entries are dropped and counted instead of blocking the
/// server; `halftone_access_log_dropped_lines_total` says how many.
final class AccessLogWriter: Sendable {
  /// One answered request, as the event loop saw it.
  struct Entry: Sendable {
    var time: Date
    var method: String
    /// Path and masked query, at most `maxTargetBytes` long.
    var target: String
    var status: Int
    var bytes: Int
    var duration: Duration
  }

  private struct Pending {
    var entries: [Entry] = []
    var dropped = 0
    var closed = false
  }

  /// Longest request target written; longer ones are cut and marked with `…`.
  static let maxTargetBytes = 512

  let capacity: Int
  private let descriptor: Int32
  private let ownsDescriptor: Bool
  private let pending = Locked(Pending())
  /// Held while a batch is taken and written, so lines leave in the order they came; holds the
  /// writer's timestamp cache.
  private let writing = Locked(LineFormatter())
  private let wake = DispatchSemaphore(value: 0)
  private let stopped = DispatchSemaphore(value: 0)
  private let flushInterval: TimeInterval
  private let onDrop: @Sendable () -> Void

  /// Opens `destination` (`.off` is not a writer: see `AccessLog`).
  /// - Parameters:
  ///   - capacity: entries that may wait for the writer; more are dropped.
  ///   - flushInterval: a batch is written at least this often.
  ///   - onDrop: called for each dropped entry (counts it in the metrics).
  init(
    destination: AccessLogDestination, capacity: Int, flushInterval: TimeInterval = 0.1,
    onDrop: @escaping @Sendable () -> Void
  ) throws(ServerSetupError) {
    switch destination {
    case .off, .standardOutput:
      descriptor = STDOUT_FILENO
      ownsDescriptor = false
    case .file(let path):
      let fd = openForAppending(path)
      guard fd >= 0 else {
        let reason = String(cString: strerror(errno))
        throw ServerSetupError("--access-log \(path): could not open for appending: \(reason)")
      }
      descriptor = fd
      ownsDescriptor = true
    }
    // A pipe whose reader has gone must fail the write (EPIPE, counted), not kill the server.
    // SwiftNIO ignores SIGPIPE process-wide on Linux as well.
    _ = signal(SIGPIPE, SIG_IGN)
    self.capacity = capacity
    self.flushInterval = flushInterval
    self.onDrop = onDrop
    let thread = Thread { [self] in writerLoop() }
    thread.name = "halftone.access-log"
    thread.start()
  }

  /// Queues one line; drops it (and says so) when `capacity` entries are waiting already.
  func append(_ entry: Entry) {
    let accepted = pending.withLock { pending -> Bool in
      if pending.closed { return true }  // after shutdown: not a drop, nothing to write to
      guard pending.entries.count < capacity else {
        pending.dropped += 1
        return false
      }
      pending.entries.append(entry)
      return true
    }
    if !accepted { onDrop() }
  }

  /// Entries dropped so far.
  var droppedCount: Int { pending.withLock { $0.dropped } }

  /// Writes what is waiting now, on the caller's thread (tests, shutdown).
  func flush() { writeBatch() }

  /// Writes what is waiting and stops the thread; waits at most `timeout` for a destination that
  /// does not take the bytes (after that the remaining lines are lost, the server is not held).
  func close(timeout: TimeInterval = 2) {
    let first = pending.withLock { pending -> Bool in
      defer { pending.closed = true }
      return !pending.closed
    }
    guard first else { return }
    wake.signal()
    if stopped.wait(timeout: .now() + timeout) == .success, ownsDescriptor {
      _ = systemClose(descriptor)
    }
  }

  private func writerLoop() {
    while true {
      _ = wake.wait(timeout: .now() + flushInterval)
      writeBatch()
      if pending.withLock({ $0.closed }) {
        writeBatch()
        stopped.signal()
        return
      }
    }
  }

  private func writeBatch() {
    writing.withLock { formatter in
      let batch = pending.withLock { pending -> [Entry] in
        defer { pending.entries.removeAll(keepingCapacity: true) }
        return pending.entries
      }
      guard !batch.isEmpty else { return }
      var text = ""
      text.reserveCapacity(batch.count * 96)
      for entry in batch { formatter.format(entry, into: &text) }
      let written = text.withUTF8 { raw in writeAll(raw) }
      if !written {
        // A closed pipe or a full disk: these lines are lost (counted), the server goes on.
        pending.withLock { $0.dropped += batch.count }
        for _ in batch { onDrop() }
      }
    }
  }

  /// Writes every byte; `false` on a write error.
  private func writeAll(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = raw.baseAddress else { return true }
    var offset = 0
    while offset < raw.count {
      let written = write(descriptor, base + offset, raw.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += written
    }
    return true
  }
}

/// Formats entries into lines, `2026-12-03T07:10:00.123Z GET /blobs/… 200 5120 0.000112`,
/// with integer formatting only (`String(format:)` runs Foundation's format parser for every
/// line, on the one thread that writes the log for every event loop) and the timestamp's date and
/// time formatted once a second.
struct LineFormatter {
  private var second: time_t = -1
  /// `2026-12-03T07:10:00.` for `second`.
  private var prefix = ""

  mutating func format(_ entry: AccessLogWriter.Entry, into text: inout String) {
    let since = entry.time.timeIntervalSince1970
    let seconds = time_t(since.rounded(.down))
    if seconds != second {
      second = seconds
      prefix = Self.dateAndTime(seconds)
    }
    text += prefix
    Self.append(Int((since - Double(seconds)) * 1000), digits: 3, to: &text)
    text += "Z "
    text += entry.method
    text += " "
    text += entry.target
    text += " "
    text += String(entry.status)
    text += " "
    text += String(entry.bytes)
    text += " "
    let (wholeSeconds, attoseconds) = entry.duration.components
    let micros = max(0, Int(wholeSeconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000))
    text += String(micros / 1_000_000)
    text += "."
    Self.append(micros % 1_000_000, digits: 6, to: &text)
    text += "\n"
  }

  /// `2026-12-03T07:10:00.` (RFC 3339, UTC), without a formatter object.
  static func dateAndTime(_ seconds: time_t) -> String {
    var seconds = seconds
    var parts = tm()
    gmtime_r(&seconds, &parts)
    var text = ""
    append(Int(parts.tm_year) + 1900, digits: 4, to: &text)
    text += "-"
    append(Int(parts.tm_mon) + 1, digits: 2, to: &text)
    text += "-"
    append(Int(parts.tm_mday), digits: 2, to: &text)
    text += "T"
    append(Int(parts.tm_hour), digits: 2, to: &text)
    text += ":"
    append(Int(parts.tm_min), digits: 2, to: &text)
    text += ":"
    append(Int(parts.tm_sec), digits: 2, to: &text)
    text += "."
    return text
  }

  /// `value` (≥ 0) in decimal, zero-padded to at least `digits`.
  static func append(_ value: Int, digits: Int, to text: inout String) {
    let decimal = String(value)
    if decimal.utf8.count < digits {
      text += String(repeating: "0", count: digits - decimal.utf8.count)
    }
    text += decimal
  }
}

private func openForAppending(_ path: String) -> Int32 {
  open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
}
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
