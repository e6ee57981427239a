import Foundation
import HalftoneServer
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// Clients that try to hold a connection or confuse its framing (found by
/// `scripts/hostile-clients`): before `RequestGuard`, a `CONNECT` or an upgrade left the
/// connection unparsed, buffering all the client sent; `Transfer-Encoding: xchunked` got two
/// answers; a shutdown cut answers short; a trickling body or a client that reads nothing held a
/// connection forever. Each now gets one answer, in order, and a bounded end.
final class HostileClientTests: XCTestCase {
  var harness: ServerHarness?
  let bytes = FakeImage.jpeg(String(repeating: "guarded", count: 40))

  override func tearDown() async throws {
    try await harness?.stop()
  }

  private func start(
    _ configure: @escaping (inout HalftoneServerConfiguration) -> Void = { _ in }
  ) async throws -> (ServerHarness, String) {
    let harness = try await ServerHarness.start {
      $0.memoryCacheLifetime = 3600
      configure(&$0)
    }
    self.harness = harness
    let path = "/blobs/\(try harness.cache.putBlob(bytes).hex)"
    return (harness, path)
  }

  private func get(_ harness: ServerHarness, _ path: String) -> Data {
    RawHTTPClient.request(port: harness.port, path, closing: false)
  }

  /// Sends `bytes` (a refused request between others), expects `expected` answers in order
  /// and then the end of the connection, with nothing answered for what followed.
  private func expectAnswers(
    _ raw: Data, _ expected: [(status: Int, bodyless: Bool)], harness: ServerHarness,
    _ label: String
  ) async throws -> [HTTPReply] {
    let connection = try await RawHTTPConnection.open(port: harness.port)
    try await connection.send(raw)
    var replies: [HTTPReply] = []
    for (index, answer) in expected.enumerated() {
      let reply = try await connection.nextResponse(bodyless: answer.bodyless).reply
      XCTAssertEqual(reply.status, answer.status, "\(label): answer \(index)")
      replies.append(reply)
    }
    let after = try await connection.waitForActivity(seconds: 10)
    XCTAssertEqual(after, .closed, "\(label): nothing more is answered, the connection ends")
    return replies
  }

  func testConnectIsRefusedInOrderAndNothingAfterItIsRead() async throws {
    let (harness, path) = try await start()
    let connect = Data("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n".utf8)
    let replies = try await expectAnswers(
      get(harness, path) + connect + get(harness, path) + Data(count: 64 * 1024),
      [(200, false), (405, true)], harness: harness, "CONNECT")
    XCTAssertEqual(replies.first?.body, bytes)
    XCTAssertEqual(replies.last?.header("Connection"), "close")
    XCTAssertEqual(replies.last?.header("Allow"), "GET, HEAD")
  }

  func testTransferEncodingGetsOneAnswer() async throws {
    let (harness, path) = try await start()
    for coding in ["chunked", "xchunked", "chunked, identity"] {
      let request = Data(
        "GET \(path) HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(coding)\r\n\r\n0\r\n\r\n".utf8)
      // One 400: the guard's, or the parser's when it refuses the coding before the head is read.
      _ = try await expectAnswers(
        request + get(harness, path), [(400, false)], harness: harness, coding)
    }
  }

  func testALargeDeclaredBodyIsRefusedAndASmallOneIsSkipped() async throws {
    let (harness, path) = try await start()
    let large = Data("GET \(path) HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n".utf8)
    let replies = try await expectAnswers(
      large, [(413, false)], harness: harness, "65537-byte body")
    XCTAssertEqual(replies.first?.errorKind, "too_large")
    let small = RawHTTPClient.request(port: harness.port, path, headers: [("Content-Length", "4")])
    let answered = try await RawHTTPClient.send(port: harness.port, small + Data("abcd".utf8))
    XCTAssertEqual(answered.status, 200)
    XCTAssertEqual(answered.body, bytes)
  }

  func testAnUpgradeIsAnsweredThenTheConnectionCloses() async throws {
    let (harness, path) = try await start()
    let upgrade = RawHTTPClient.request(
      port: harness.port, path, headers: [("Connection", "Upgrade"), ("Upgrade", "websocket")],
      closing: false)
    let replies = try await expectAnswers(
      upgrade + get(harness, path), [(200, false)], harness: harness, "Upgrade")
    XCTAssertEqual(replies.first?.body, bytes)
    XCTAssertEqual(replies.first?.header("Connection"), "close")
  }

  func testEveryAnswerWrittenBeforeShutdownIsSentWhole() async throws {
    // Hot blobs of 300 KB each, pipelined, read slowly: at shutdown most answers are still in
    // the socket's queue, and every one must arrive whole (a plain close would drop them).
    let harness = try await ServerHarness.start { $0.memoryCacheLifetime = 3600 }
    self.harness = harness
    let big = FakeImage.jpeg(String(repeating: "0123456789", count: 30_000))
    let path = "/blobs/\(try harness.cache.putBlob(big).hex)"
    _ = try await harness.get(path)  // in memory from now on
    let connection = try await RawHTTPConnection.open(port: harness.port)
    let count = 40
    try await connection.send(
      (0..<count).reduce(into: Data()) { all, _ in all += get(harness, path) })
    let first = try await connection.nextResponse().reply
    XCTAssertEqual(first.body, big)
    let stopping = Task { try await harness.stop() }
    for index in 1..<count {
      let reply = try await connection.nextResponse().reply
      XCTAssertEqual(reply.status, 200, "answer \(index)")
      XCTAssertEqual(reply.body.count, big.count, "answer \(index) whole")
    }
    try await stopping.value
    self.harness = nil
  }

  func testATricklingBodyDoesNotKeepItsRequestAlive() async throws {
    let (harness, path) = try await start { $0.idleTimeout = 1 }
    let connection = try await RawHTTPConnection.open(port: harness.port)
    try await connection.send(
      RawHTTPClient.request(
        port: harness.port, path, headers: [("Content-Length", "1000")], closing: false))
    // A byte every 0.2 s for up to 20 s: each used to count as activity.
    var ended = false
    for _ in 0..<100 where !ended {
      try? await connection.send(Data("x".utf8))
      ended = try await connection.waitForActivity(seconds: 0.2) == .closed
    }
    XCTAssertTrue(ended, "the request was not read whole within the idle timeout: closed")
  }

  func testAClientThatReadsNothingLosesItsConnection() async throws {
    let (harness, _) = try await start {
      $0.idleTimeout = 1
      $0.closeGrace = 1
    }
    let big = FakeImage.jpeg(String(repeating: "0123456789", count: 30_000))
    let path = "/blobs/\(try harness.cache.putBlob(big).hex)"
    _ = try await harness.get(path)
    let connection = try await RawHTTPConnection.open(port: harness.port)
    // Requests for 300 KB answers, 40 MB of them, never reading one answer: the server's
    // socket fills, it stops reading, and the client's write blocks until the server gives up
    // the connection (then it fails). Bounded: the test gives up after 30 s.
    let requests = (0..<400_000).reduce(into: Data()) { all, _ in all += get(harness, path) }
    let sending = Task { try await connection.send(requests) }
    let timer = Task { () -> Bool in
      do { try await Task.sleep(nanoseconds: 30_000_000_000) } catch { return false }
      connection.hangUp()  // unblocks the write
      return true
    }
    let result = await sending.result
    timer.cancel()
    let timedOut = await timer.value
    XCTAssertFalse(timedOut, "the server still held the connection after 30 s")
    if case .success = result {
      XCTFail("the server read 40 MB of requests while none of its answers was read")
    }
  }
}
