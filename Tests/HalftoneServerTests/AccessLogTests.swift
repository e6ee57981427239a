import Foundation
import HalftoneServer
import HalftoneStore
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// The access log never holds a request up: lines go to a writer thread through a bounded
/// buffer, and when the destination stalls, lines are dropped and counted instead.
final class AccessLogTests: XCTestCase {
  func testStalledDestinationDropsLinesAndRequestsGoOn() async throws {
    let fifo = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-access-\(UUID().uuidString).fifo"
    ).path
    XCTAssertEqual(mkfifo(fifo, 0o600), 0, String(cString: strerror(errno)))
    defer { unlink(fifo) }
    // A reader that never reads (until the end): the writer's write(2) blocks once the pipe,
    // shrunk to one page, is full.
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    XCTAssertGreaterThanOrEqual(reader, 0)
    defer { close(reader) }
    let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ, which Glibc's module does not export
    _ = fcntl(reader, setPipeSize, 4096)

    let harness = try await ServerHarness.start {
      $0.accessLog = .file(fifo)
      $0.accessLogBufferLines = 16
    }
    let bytes = FakeImage.jpeg("logged")
    let digest = try harness.cache.putBlob(bytes)
    var answered = 0
    for index in 0..<400 {
      // Both paths: the event loop's fast path (hot blob) and Hummingbird's (a 404).
      let target =
        index.isMultiple(of: 4)
        ? "/blobs/\(String(repeating: "0", count: 64))" : "/blobs/\(digest.hex)"
      let reply = try await harness.get(target)
      if reply.status == 200 || reply.status == 404 { answered += 1 }
    }
    XCTAssertEqual(answered, 400, "every request answered while the log could not be written")
    let dropped = harness.server.droppedAccessLogLines
    XCTAssertGreaterThan(dropped, 200, "a one-page pipe and 16 waiting lines cannot hold 400")
    // /metrics is rendered before its own line is recorded (and dropped).
    // A request's line may be recorded just after its answer reached the client: the metric
    // lies between the count read before it and the count read after it.
    let metric = Int(try await harness.metric("halftone_access_log_dropped_lines_total") ?? -1)
    XCTAssertGreaterThanOrEqual(metric, dropped)
    XCTAssertLessThanOrEqual(metric, harness.server.droppedAccessLogLines)

    // Once the reader reads, the waiting lines arrive whole and in order.
    var received = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let stopping = Task { try await harness.stop() }
    for _ in 0..<300 {
      let got = read(reader, &buffer, buffer.count)
      if got > 0 { received.append(contentsOf: buffer[..<got]) }
      if got == 0 { break }  // the writer closed its end
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    try await stopping.value
    let lines = String(decoding: received, as: UTF8.self).split(separator: "\n")
    XCTAssertGreaterThan(lines.count, 0)
    XCTAssertLessThanOrEqual(
      lines.count + harness.server.droppedAccessLogLines, 401, "no line written twice")
    for line in lines {
      XCTAssertEqual(line.split(separator: " ").count, 6, "a whole line: \(line)")
    }
  }

  func testLinesAFailedWriteLostAreCountedAndServingGoesOn() async throws {
    let fifo = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-access-\(UUID().uuidString).fifo"
    ).path
    XCTAssertEqual(mkfifo(fifo, 0o600), 0, String(cString: strerror(errno)))
    defer { unlink(fifo) }
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    XCTAssertGreaterThanOrEqual(reader, 0)
    let harness = try await ServerHarness.start { $0.accessLog = .file(fifo) }
    close(reader)  // the reader goes away: every write now fails with EPIPE
    let digest = try harness.cache.putBlob(FakeImage.jpeg("nobody reads"))
    for _ in 0..<5 {
      let reply = try await harness.get("/blobs/\(digest.hex)")
      XCTAssertEqual(reply.status, 200)
    }
    // A request's line is handed to the log as its answer completes, which can be just after the
    // client has read it: flush until the fifth line has been tried (bounded: 5 s).
    for _ in 0..<500 where harness.server.droppedAccessLogLines < 5 {
      harness.server.flushAccessLog()
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    XCTAssertGreaterThanOrEqual(harness.server.droppedAccessLogLines, 5)
    let metric = try await harness.metric("halftone_access_log_dropped_lines_total")
    XCTAssertGreaterThanOrEqual(metric ?? 0, 5)
    try await harness.stop()
  }

  func testOffWritesNoLines() async throws {
    let harness = try await ServerHarness.start { $0.accessLog = .off }
    let digest = try harness.cache.putBlob(FakeImage.jpeg("quiet"))
    for _ in 0..<5 { _ = try await harness.get("/blobs/\(digest.hex)") }
    harness.server.flushAccessLog()
    XCTAssertFalse(FileManager.default.fileExists(atPath: harness.accessLogPath))
    XCTAssertEqual(harness.server.droppedAccessLogLines, 0)
    try await harness.stop()
  }

  func testLinesAreWrittenWithoutAFlushAndAtShutdown() async throws {
    let harness = try await ServerHarness.start()
    let digest = try harness.cache.putBlob(FakeImage.jpeg("soon"))
    _ = try await harness.get("/blobs/\(digest.hex)")
    // The writer thread writes within its interval on its own.
    var text = ""
    for _ in 0..<300 where !text.contains(digest.hex) {
      try await Task.sleep(nanoseconds: 10_000_000)
      text = (try? String(contentsOfFile: harness.accessLogPath, encoding: .utf8)) ?? ""
    }
    XCTAssertTrue(text.contains("GET /blobs/\(digest.hex) 200"), text)
    _ = try await harness.get("/healthz")
    let path = harness.accessLogPath
    try await harness.running.shutdown()
    let after = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    XCTAssertTrue(
      after.contains("GET /healthz 200"), "the last line is written at shutdown: \(after)")
    try? FileManager.default.removeItem(at: harness.root)
    try? FileManager.default.removeItem(atPath: path)
  }

  func testDestinationArguments() {
    XCTAssertEqual(AccessLogDestination(argument: "off"), .off)
    XCTAssertEqual(AccessLogDestination(argument: "-"), .standardOutput)
    XCTAssertEqual(
      AccessLogDestination(argument: "/var/log/halftone.log"), .file("/var/log/halftone.log"))
    XCTAssertNil(AccessLogDestination(argument: ""))
  }
}
