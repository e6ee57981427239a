import Dispatch
import Foundation
import HalftoneCore
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// A sink whose disk stalls: the writer queue, not the transfer thread, waits for it.
final class StalledSinkTests: FetchTestCase {
  /// Collects what it is given, but its first write blocks until `release()` (or a backstop).
  final class StallingSink: FetchBodySink {
    private struct State {
      var collected = Data()
      var stalled = false
      var writing = false
      var stalledAt: DispatchTime?
    }
    private let state = Locked(State())
    private let stalledSignal = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    var bytes: Data { state.withLock { $0.collected } }
    /// A write is in progress (blocked or not).
    var isWriting: Bool { state.withLock { $0.writing } }
    var stalledAt: DispatchTime? { state.withLock { $0.stalledAt } }

    func restart() throws { state.withLock { $0.collected.removeAll() } }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
      let first = state.withLock { state -> Bool in
        state.writing = true
        defer { state.stalled = true }
        if !state.stalled { state.stalledAt = .now() }
        return !state.stalled
      }
      if first {
        stalledSignal.signal()
        // The backstop only keeps a broken build from hanging the suite.
        _ = gate.wait(timeout: .now() + 60)
      }
      state.withLock {
        $0.collected.append(contentsOf: bytes)
        $0.writing = false
      }
    }

    /// Waits (off the cooperative pool) until the first write is blocked.
    func waitUntilStalled() async {
      await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
          self.stalledSignal.wait()
          continuation.resume()
        }
      }
    }

    func release() { gate.signal() }
  }

  /// Collects what it is given.
  final class MemorySink: FetchBodySink {
    private let collected = Locked(Data())
    var bytes: Data { collected.withLock { $0 } }
    func restart() throws { collected.withLock { $0.removeAll() } }
    func write(_ bytes: UnsafeRawBufferPointer) throws {
      collected.withLock { $0.append(contentsOf: bytes) }
    }
  }

  func testADiskStalledForTwoSecondsHoldsUpOnlyItsOwnTransfer() async throws {
    // Far more than the writer queue, the kernel's socket buffers and curl's own buffer hold:
    // while the disk stalls, this transfer must be paused, not finished into memory.
    let big = pngLike(24_000_000)
    origin.route("/stalled.png", .always(.ok(big, contentType: "image/png")))
    let small = pngLike(600_000)
    for index in 0..<4 {
      origin.route("/moving-\(index).png", .always(.ok(small, contentType: "image/png")))
    }
    origin.route("/in-memory.png", .always(.ok(tinyPNG, contentType: "image/png")))
    let fetcher = try makeFetcher { $0.bodyBufferBytes = 256 << 10 }
    defer { fetcher.shutdown() }

    let stalledURL = origin.url("/stalled.png")
    let movingURLs = (0..<4).map { origin.url("/moving-\($0).png") }
    let inMemoryURL = origin.url("/in-memory.png")

    let stalling = StallingSink()
    let stalledFetch = Task {
      try await fetcher.fetch(FetchRequest(url: stalledURL), streamingBodyTo: stalling)
    }
    await stalling.waitUntilStalled()

    // Other transfers, streamed and in memory, run to the end while that write is blocked.
    try await withThrowingTaskGroup(of: Void.self) { group in
      for url in movingURLs {
        group.addTask {
          let sink = MemorySink()
          let response = try await fetcher.fetch(FetchRequest(url: url), streamingBodyTo: sink)
          XCTAssertEqual(response.bodyBytes, small.count)
          XCTAssertEqual(sink.bytes, small)
        }
      }
      group.addTask {
        let response = try await fetcher.fetch(FetchRequest(url: inMemoryURL))
        XCTAssertEqual(response.body, tinyPNG)
      }
      try await group.waitForAll()
    }
    XCTAssertTrue(stalling.isWriting, "the other transfers finished while the disk was stalled")
    XCTAssertEqual(
      origin.completedResponseCount("/stalled.png"), 0,
      "the stalled transfer is paused: its body waits at the origin, not in memory")

    // The stall lasts two seconds in all, then the disk recovers and nothing is lost.
    let stalledAt = try XCTUnwrap(stalling.stalledAt)
    let twoSeconds = stalledAt.uptimeNanoseconds + 2_000_000_000
    let now = DispatchTime.now().uptimeNanoseconds
    if now < twoSeconds { try await Task.sleep(nanoseconds: twoSeconds - now) }
    stalling.release()
    let response = try await stalledFetch.value
    XCTAssertEqual(response.bodyBytes, big.count)
    XCTAssertEqual(stalling.bytes, big, "every byte, in order, after the pause")
  }

  func testACancelledFetchReturnsOnlyOnceTheBlockedWriteHasReturned() async throws {
    // The caller abandons its sink (deletes the staging file) as soon as the fetch returns, so
    // no write may still be running then.
    origin.route("/stalled.png", .always(.ok(pngLike(8_000_000), contentType: "image/png")))
    let fetcher = try makeFetcher { $0.bodyBufferBytes = 64 << 10 }
    defer { fetcher.shutdown() }
    let stalling = StallingSink()
    let url = origin.url("/stalled.png")
    let fetch = Task {
      try await fetcher.fetch(FetchRequest(url: url), streamingBodyTo: stalling)
    }
    await stalling.waitUntilStalled()
    fetch.cancel()
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { stalling.release() }
    do {
      _ = try await fetch.value
      XCTFail("a cancelled fetch must fail")
    } catch let error as FetchError {
      XCTAssertTrue(error.isCancellation, error.message)
    }
    XCTAssertFalse(stalling.isWriting, "the write in progress had returned")
  }

  func testASinkFailingWhileItsTransferIsPausedFailsTheFetch() async throws {
    origin.route("/big.png", .always(.ok(pngLike(6_000_000), contentType: "image/png")))
    let sink = FetcherSinkTests.CollectingSink(failAfter: 1_000_000)
    let fetcher = try makeFetcher { $0.bodyBufferBytes = 32 << 10 }
    defer { fetcher.shutdown() }
    do {
      _ = try await fetcher.fetch(FetchRequest(url: origin.url("/big.png")), streamingBodyTo: sink)
      XCTFail("a full sink must fail the fetch")
    } catch {
      XCTAssertEqual(error.kind, .storage)
      XCTAssertTrue(error.message.contains("No space left on device"), error.message)
    }
    XCTAssertLessThanOrEqual(sink.bytes.count, 1_000_000)
    XCTAssertEqual(origin.requestCount("/big.png"), 1, "a storage failure is not retried")
  }
}
