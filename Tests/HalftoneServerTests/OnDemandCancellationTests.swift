import Foundation
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// A client that hangs up during an on-demand job: its waiter leaves at once; the job goes on
/// for the requests still waiting, and is cancelled (nothing stored) when none is left.
final class OnDemandCancellationTests: XCTestCase {
  var origin: OriginServer!
  var harness: ServerHarness!
  let photo = Fixtures.photoJPEG(width: 256, height: 192, quality: 85)

  override func setUp() async throws {
    origin = try OriginServer()
    harness = try await ServerHarness.start(onDemand: true)
  }

  override func tearDown() async throws {
    try await harness?.stop()
    origin.stop()
  }

  /// Polls `condition` (at most ~30 s) instead of sleeping a guessed time.
  private func waitUntil(_ what: String, _ condition: @escaping () async -> Bool) async throws {
    for _ in 0..<3000 {
      if await condition() { return }
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    XCTFail("timed out waiting until \(what)")
  }

  /// Sends the request on a connection of its own, without reading the answer.
  private func send(_ path: String) async throws -> RawHTTPConnection {
    let connection = try await RawHTTPConnection.open(port: harness.port)
    try await connection.send(RawHTTPClient.request(port: harness.port, path, closing: false))
    return connection
  }

  private func storedThumbnails(_ url: String) throws -> Int {
    let spec = try ThumbnailSpec.parse(url: url)
    guard let original = try harness.cache.original(forURL: spec.masterURL) else { return 0 }
    return try harness.cache.thumbnails(original: original.original).count
  }

  func testLastClientHangingUpCancelsTheJob() async throws {
    let gate = OriginGate()
    origin.route("/slow.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let url = origin.url("/slow.jpg?width=64")
    let client = try await send(try thumbnailsPath(url))
    try await waitUntil("the job reaches the origin") { self.origin.requestCount("/slow.jpg") == 1 }
    XCTAssertEqual(harness.server.onDemandWaiting, 1)

    client.hangUp()
    try await waitUntil("the waiter is gone") { self.harness.server.onDemandWaiting == 0 }
    try await waitUntil("the job is cancelled") {
      self.harness.server.onDemandCounts.cancelled == 1
    }
    try await waitUntil("no job is left") { self.harness.server.onDemandJobs == 0 }
    // The fetch was aborted: the origin's answer, once let through, reaches nobody.
    gate.open()
    try await waitUntil("the origin's answer is over") { self.origin.requestsInFlight == 0 }
    let counts = harness.server.onDemandCounts
    XCTAssertEqual(counts.rendered, 0)
    XCTAssertEqual(counts.failed, 0, "a cancelled job is not a failure")
    XCTAssertEqual(try storedThumbnails(url), 0, "nothing stored for a job nobody waits for")

    // The next request starts afresh and gets its thumbnail.
    let again = try await harness.get(try thumbnailsPath(url))
    XCTAssertEqual(again.status, 200, again.text)
    XCTAssertEqual(origin.requestCount("/slow.jpg"), 2)
  }

  func testJobGoesOnForTheClientsStillWaiting() async throws {
    let gate = OriginGate()
    origin.route("/shared.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let url = origin.url("/shared.jpg?width=64")
    let path = try thumbnailsPath(url)
    let leaving = try await send(path)
    let port = harness.port
    let staying = Task { try await RawHTTPClient.get(port: port, path) }
    try await waitUntil("both wait") { self.harness.server.onDemandWaiting == 2 }

    leaving.hangUp()
    try await waitUntil("the one that left is gone") { self.harness.server.onDemandWaiting == 1 }
    XCTAssertEqual(harness.server.onDemandJobs, 1, "the job goes on")
    gate.open()
    let reply = try await staying.value
    XCTAssertEqual(reply.status, 200, reply.text)
    let counts = harness.server.onDemandCounts
    XCTAssertEqual(counts.rendered, 1)
    XCTAssertEqual(counts.cancelled, 0)
    XCTAssertEqual(try storedThumbnails(url), 1)
    XCTAssertEqual(origin.requestCount("/shared.jpg"), 1)
  }
}
