import Foundation
import Halftone

/// Progress of a prefetch on stderr: a live line on a terminal, a plain line every few seconds
/// otherwise (logs, CI), nothing with `--quiet`.
struct ProgressPrinter {
  enum Mode { case off, automatic }

  private let total: Int?
  private let live: Bool
  private let enabled: Bool
  private let started = Date()
  private var lastPrint = Date.distantPast
  private var done = 0
  private var failed = 0
  private var bytes = 0

  init(total: Int?, mode: Mode) {
    self.total = total
    enabled = mode != .off
    live = isatty(STDERR_FILENO) == 1
  }

  mutating func record(_ outcome: ReferenceOutcome) {
    done += 1
    if outcome.status == .failed { failed += 1 }
    bytes += outcome.thumbnail?.bytes ?? 0
    guard enabled else { return }
    let now = Date()
    let interval: TimeInterval = live ? 0.2 : 5
    if now.timeIntervalSince(lastPrint) >= interval {
      lastPrint = now
      emit(now)
    }
  }

  func finish() {
    guard enabled else { return }
    emit(Date())
    if live { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  private func emit(_ now: Date) {
    let elapsed = max(now.timeIntervalSince(started), 0.001)
    let rate = Double(done) / elapsed
    var line = total.map { "\(done)/\($0)" } ?? "\(done)"
    line += String(format: " · %.1f images/s", rate)
    line +=
      " · \(ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .file)) thumbnails"
    line += " · \(failed) failed"
    if let total, rate > 0, done < total {
      line += String(format: " · ETA %.0f s", Double(total - done) / rate)
    }
    FileHandle.standardError.write(Data((live ? "\r\u{1B}[K" + line : line + "\n").utf8))
  }
}
