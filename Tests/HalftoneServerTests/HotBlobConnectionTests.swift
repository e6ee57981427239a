import Foundation
import HalftoneServer
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// What the hot-blob fast path must keep across the requests of one connection: pipelined
/// answers in order, the idle timeout, graceful shutdown.
final class HotBlobConnectionTests: XCTestCase {
  var origin: OriginServer!
  var harness: ServerHarness?
  let hotBytes = FakeImage.jpeg(String(repeating: "hot", count: 100))
  let photo = Fixtures.photoJPEG(width: 128, height: 96, quality: 85)

  override func setUp() async throws {
    origin = try OriginServer()
  }

  override func tearDown() async throws {
    try await harness?.stop()
    origin.stop()
  }

  /// A server with one blob already in memory; returns its path.
  private func start(
    _ configure: @escaping (inout HalftoneServerConfiguration) -> Void = { _ in }
  ) async throws -> (ServerHarness, String) {
    // Memory entries live an hour: on a starved machine the default 10 s could expire mid-test
    // and send a request down the general path.
    let harness = try await ServerHarness.start(
      configure: {
        $0.memoryCacheLifetime = 3600
        configure(&$0)
      }, onDemand: true)
    self.harness = harness
    let path = "/blobs/\(try harness.cache.putBlob(hotBytes).hex)"
    let first = try await harness.get(path)
    XCTAssertEqual(first.body, hotBytes)
    return (harness, path)
  }

  private func request(
    _ harness: ServerHarness, _ target: String, method: String = "GET", closing: Bool = false
  ) -> Data {
    RawHTTPClient.request(port: harness.port, target, method: method, closing: closing)
  }

  func testPipelinedRequestsAreAnsweredInOrder() async throws {
    let (harness, hot) = try await start()
    let cold = FakeImage.webp("on disk, not in memory yet")
    let coldPath = "/blobs/\(try harness.cache.putBlob(cold).hex)"
    let connection = try await RawHTTPConnection.open(port: harness.port)

    // Fast-path answers mixed with general ones (a route, a file read, an error), in one write.
    try await connection.send(
      request(harness, hot) + request(harness, "/healthz") + request(harness, hot, method: "HEAD")
        + request(harness, coldPath) + request(harness, "/blobs/" + hot.dropFirst(7).uppercased())
        + request(harness, hot))
    let expected: [(status: Int, body: Data, head: Bool)] = [
      (200, hotBytes, false), (200, Data("ok\n".utf8), false), (200, Data(), true),
      (200, cold, false), (400, Data(), false), (200, hotBytes, false),
    ]
    for (index, answer) in expected.enumerated() {
      let reply = try await connection.nextResponse(bodyless: answer.head).reply
      XCTAssertEqual(reply.status, answer.status, "answer \(index)")
      if answer.status == 400 {
        XCTAssertEqual(reply.errorKind, "invalid_digest", "answer \(index)")
      } else {
        XCTAssertEqual(reply.body, answer.body, "answer \(index)")
      }
    }
    // The connection is still usable, and `Connection: close` ends it after the answer.
    try await connection.send(request(harness, hot, closing: true) + request(harness, "/healthz"))
    let last = try await connection.nextResponse().reply
    XCTAssertEqual(last.body, hotBytes)
    let after = try await connection.waitForActivity(seconds: 10)
    XCTAssertEqual(after, .closed, "nothing is answered after a Connection: close request")
    let answered = try await harness.fastPathResponses()
    XCTAssertGreaterThanOrEqual(answered, 2, "the first and the last hot requests at least")
  }

  func testHotBlobWaitsForAnEarlierSlowRequestOnItsConnection() async throws {
    let gate = OriginGate()
    origin.route("/slow.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let (harness, hot) = try await start()
    let slow = try thumbnailsPath(origin.url("/slow.jpg?width=40"))
    let connection = try await RawHTTPConnection.open(port: harness.port)

    try await connection.send(request(harness, slow) + request(harness, hot))
    try await waitUntil("the slow request reaches the origin") {
      self.origin.requestCount("/slow.jpg") == 1
    }
    let early = try await connection.waitForActivity(seconds: 0.5)
    XCTAssertEqual(early, .silence, "the hot blob must not overtake the request before it")
    gate.open()
    let first = try await connection.nextResponse().reply
    XCTAssertEqual(first.status, 200, first.text)
    XCTAssertNotEqual(first.body, hotBytes)
    XCTAssertEqual(first.header("Content-Type"), "image/jpeg")
    let second = try await connection.nextResponse().reply
    XCTAssertEqual(second.status, 200)
    XCTAssertEqual(second.body, hotBytes)
  }

  func testGracefulShutdownAnswersPipelinedRequestsThenCloses() async throws {
    let gate = OriginGate()
    origin.route("/held.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let (harness, hot) = try await start()
    let port = harness.port
    let connection = try await RawHTTPConnection.open(port: port)

    try await connection.send(
      request(harness, try thumbnailsPath(origin.url("/held.jpg?width=40"))) + request(harness, hot)
    )
    try await waitUntil("the first request reaches the origin") {
      self.origin.requestCount("/held.jpg") == 1
    }
    await harness.running.beginShutdown()
    try await waitUntil("new connections are refused") {
      !(await RawHTTPClient.canConnect(port: port))
    }
    gate.open()
    let first = try await connection.nextResponse().reply
    XCTAssertEqual(first.status, 200, first.text)
    let second = try await connection.nextResponse().reply
    XCTAssertEqual(second.body, hotBytes)
    let after = try await connection.waitForActivity(seconds: 10)
    XCTAssertEqual(after, .closed)
    try await harness.running.waitUntilStopped()
  }

  func testGracefulShutdownClosesAKeepAliveConnectionTheFastPathServed() async throws {
    let (harness, hot) = try await start()
    let connection = try await RawHTTPConnection.open(port: harness.port)
    try await connection.send(request(harness, hot))
    let reply = try await connection.nextResponse().reply
    XCTAssertEqual(reply.body, hotBytes)
    let answered = try await harness.fastPathResponses()
    XCTAssertEqual(answered, 1)

    await harness.running.beginShutdown()
    let after = try await connection.waitForActivity(seconds: 10)
    XCTAssertEqual(after, .closed, "an idle keep-alive connection is closed at shutdown")
    try await harness.running.waitUntilStopped()
  }

  func testBusyFastPathConnectionOutlivesTheIdleTimeoutAndIdleOneDoesNot() async throws {
    let (harness, hot) = try await start { $0.idleTimeout = 2 }
    let connection = try await RawHTTPConnection.open(port: harness.port)
    // Busy for at least twice the idle timeout (20 requests 200 ms apart), answered on the fast
    // path throughout. A count, not a clock: a stall shorter than the timeout between two
    // requests changes nothing.
    let requests = 20
    for _ in 0..<requests {
      try await connection.send(request(harness, hot))
      let reply = try await connection.nextResponse().reply
      XCTAssertEqual(reply.body, hotBytes)
      try await Task.sleep(nanoseconds: 200_000_000)
    }
    let answered = try await harness.fastPathResponses()
    XCTAssertEqual(answered, requests)
    let idle = try await connection.waitForActivity(seconds: 10)
    XCTAssertEqual(idle, .closed, "closed once idle for the idle timeout")
  }

  func testConnectionWaitingForAnAnswerIsNotIdle() async throws {
    let gate = OriginGate()
    origin.route("/long.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let (harness, hot) = try await start { $0.idleTimeout = 1 }
    let connection = try await RawHTTPConnection.open(port: harness.port)

    try await connection.send(
      request(harness, try thumbnailsPath(origin.url("/long.jpg?width=40"))))
    let waiting = try await connection.waitForActivity(seconds: 2.5)
    XCTAssertEqual(waiting, .silence, "not closed while its request is being answered")
    gate.open()
    let slow = try await connection.nextResponse().reply
    XCTAssertEqual(slow.status, 200, slow.text)
    try await connection.send(request(harness, hot))
    let next = try await connection.nextResponse().reply
    XCTAssertEqual(next.body, hotBytes)
  }

  /// Polls `condition` (at most ~30 s) instead of sleeping a guessed time.
  private func waitUntil(
    _ what: String, _ condition: @escaping () async -> Bool
  ) async throws {
    for _ in 0..<3000 {
      if await condition() { return }
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    XCTFail("timed out waiting until \(what)")
  }
}
