import CHalftone
import Foundation
import HalftoneCore

/// One libcurl multi handle driven by its own thread: shares connections (keep-alive, HTTP/2)
/// and the DNS cache between transfers, and applies the concurrency limits.
///
/// Other threads talk to it only through `inbox` (a locked queue) and `curl_multi_wakeup`,
/// the two thread-safe entry points; everything else is touched by the multi thread alone.
final class CurlMulti: @unchecked Sendable {
  private enum Command {
    case add(CurlTransfer)
    case cancel(CurlTransfer)
    case unpause(CurlTransfer)
  }

  private struct Inbox {
    var commands: [Command] = []
    var closing = false
  }

  private let multi: UnsafeMutableRawPointer
  private let inbox = Locked(Inbox())
  private let maxTotal: Int
  private let maxPerHost: Int
  private let stopped = DispatchGroup()

  // Multi-thread state.
  /// Transfers admitted but not yet started because a limit was reached. Waiting here, unlike in
  /// libcurl's own queue, does not eat into the transfer's CURLOPT_TIMEOUT_MS.
  private var waiting: [CurlTransfer] = []
  private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
  private var runningPerHost: [String: Int] = [:]

  init(maxTotal: Int, maxPerHost: Int) throws(FetchError) {
    let initCode = halftone_curl_global_init_once()
    guard initCode == CURLE_OK else {
      throw FetchError(
        kind: .internal, message: "curl_global_init failed: \(CurlErrors.text(initCode))", url: "")
    }
    guard let multi = curl_multi_init() else {
      throw FetchError(kind: .internal, message: "curl_multi_init failed", url: "")
    }
    self.multi = multi
    self.maxTotal = maxTotal
    self.maxPerHost = maxPerHost
    // Backstops for what `admit` already enforces (a redirect can move a transfer to a host
    // whose own count we do not track).
    _ = halftone_curl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxTotal)
    _ = halftone_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxPerHost)
    stopped.enter()
    let thread = Thread { [self] in
      run()
      stopped.leave()
    }
    thread.name = "halftone-curl-multi"
    thread.start()
  }

  /// Queues `transfer` (its continuation already set); it completes through that continuation.
  func submit(_ transfer: CurlTransfer) {
    let accepted = inbox.withLock { inbox in
      guard !inbox.closing else { return false }
      inbox.commands.append(.add(transfer))
      curl_multi_wakeup(multi)
      return true
    }
    if !accepted {
      complete(transfer, with: .cancelled(transfer.url, why: "the fetcher was shut down"))
    }
  }

  /// Aborts `transfer` if it is still waiting or running; call after `markCancelled()`.
  func cancel(_ transfer: CurlTransfer) {
    inbox.withLock { inbox in
      guard !inbox.closing else { return }
      inbox.commands.append(.cancel(transfer))
      curl_multi_wakeup(multi)
    }
  }

  /// Lets `transfer` go on after its writer queue paused it (any thread).
  func unpause(_ transfer: CurlTransfer) {
    inbox.withLock { inbox in
      guard !inbox.closing else { return }
      inbox.commands.append(.unpause(transfer))
      curl_multi_wakeup(multi)
    }
  }

  /// Fails every queued and running transfer, stops the thread and frees the multi handle.
  /// Idempotent; returns once the thread has finished.
  func shutdown() {
    inbox.withLock { inbox in
      guard !inbox.closing else { return }
      inbox.closing = true
      curl_multi_wakeup(multi)
    }
    if Thread.current.name != "halftone-curl-multi" { stopped.wait() }
  }

  // MARK: The multi thread

  private func run() {
    while true {
      let (commands, closing) = inbox.withLock { inbox in
        defer { inbox.commands = [] }
        return (inbox.commands, inbox.closing)
      }
      if closing {
        // Transfers submitted just before the shutdown still get their answer: their callers
        // are waiting on it.
        for case .add(let transfer) in commands {
          complete(transfer, with: .cancelled(transfer.url, why: "the fetcher was shut down"))
        }
        break
      }
      for command in commands {
        switch command {
        case .add(let transfer):
          if transfer.isCancelled {
            complete(transfer, with: .cancelled(transfer.url))
          } else {
            waiting.append(transfer)
          }
        case .cancel(let transfer): abort(transfer)
        case .unpause(let transfer):
          if running[transfer.handle] === transfer { transfer.unpause() }
        }
      }
      startWaiting()
      var stillRunning: Int32 = 0
      _ = curl_multi_perform(multi, &stillRunning)
      collectFinished()
      startWaiting()
      // Returns at libcurl's next timeout, on socket activity, or on curl_multi_wakeup.
      _ = curl_multi_poll(multi, nil, 0, 1000, nil)
    }
    for transfer in waiting {
      complete(transfer, with: .cancelled(transfer.url, why: "the fetcher was shut down"))
    }
    waiting = []
    for transfer in Array(running.values) {
      detach(transfer)
      complete(transfer, with: .cancelled(transfer.url, why: "the fetcher was shut down"))
    }
    curl_multi_cleanup(multi)
  }

  /// Starts waiting transfers, oldest first, while the global and per-host limits allow.
  private func startWaiting() {
    var index = 0
    while index < waiting.count, running.count < maxTotal {
      let transfer = waiting[index]
      guard runningPerHost[transfer.hostKey, default: 0] < maxPerHost else {
        index += 1
        continue
      }
      waiting.remove(at: index)
      let code = curl_multi_add_handle(multi, transfer.handle)
      guard code == CURLM_OK else {
        let text = String(cString: curl_multi_strerror(code))
        complete(
          transfer,
          with: FetchError(
            kind: .internal, message: "curl_multi_add_handle failed: \(text)", url: transfer.url))
        continue
      }
      running[transfer.handle] = transfer
      runningPerHost[transfer.hostKey, default: 0] += 1
    }
  }

  private func collectFinished() {
    var easy: UnsafeMutableRawPointer? = nil
    var code = CURLE_OK
    while halftone_curl_multi_next_done(multi, &easy, &code) == 1 {
      guard let handle = easy, let transfer = running[handle] else { continue }
      detach(transfer)
      finish(transfer, transfer.outcome(code))
    }
  }

  private func abort(_ transfer: CurlTransfer) {
    if let index = waiting.firstIndex(where: { $0 === transfer }) {
      waiting.remove(at: index)
      complete(transfer, with: .cancelled(transfer.url))
    } else if running[transfer.handle] === transfer {
      detach(transfer)
      complete(transfer, with: .cancelled(transfer.url))
    }
  }

  private func detach(_ transfer: CurlTransfer) {
    _ = curl_multi_remove_handle(multi, transfer.handle)
    running[transfer.handle] = nil
    runningPerHost[transfer.hostKey, default: 1] -= 1
    if runningPerHost[transfer.hostKey] == 0 { runningPerHost[transfer.hostKey] = nil }
  }

  private func complete(_ transfer: CurlTransfer, with error: FetchError) {
    var outcome = TransferOutcome()
    outcome.failure = error
    outcome.effectiveURL = transfer.url
    finish(transfer, outcome)
  }

  /// Answers the transfer's caller once its body is on the sink (the writer queue calls back on
  /// its own thread, so a slow disk never holds up this one).
  private func finish(_ transfer: CurlTransfer, _ outcome: TransferOutcome) {
    let continuation = transfer.continuation
    transfer.continuation = nil
    transfer.whenBodyWritten(outcome) { continuation?.resume(returning: $0) }
  }
}
