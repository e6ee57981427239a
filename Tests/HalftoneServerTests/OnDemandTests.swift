import Foundation
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

final class OnDemandTests: XCTestCase {
  var origin: OriginServer!
  var harness: ServerHarness?
  let photo = Fixtures.photoJPEG(width: 256, height: 192, quality: 85)

  override func setUp() async throws {
    origin = try OriginServer()
  }

  override func tearDown() async throws {
    try await harness?.stop()
    origin.stop()
  }

  private func start(
    allowPrivate: Bool = true,
    _ configure: @escaping (inout HalftoneServerConfiguration) -> Void = { _ in }
  ) async throws -> ServerHarness {
    let harness = try await ServerHarness.start(
      configure: configure, onDemand: true, allowPrivate: allowPrivate)
    self.harness = harness
    return harness
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

  func testMissIsFetchedRenderedStoredAndThenServedFromTheCache() async throws {
    origin.route("/photo.jpg", .always(.ok(photo, contentType: "image/jpeg")))
    let harness = try await start()
    let url = origin.url("/photo.jpg?width=64")

    let first = try await harness.get(try thumbnailsPath(url))
    XCTAssertEqual(first.status, 200, first.text)
    XCTAssertEqual(first.header("Content-Type"), "image/jpeg")
    let etag = try XCTUnwrap(first.header("ETag"))

    let second = try await harness.get(try thumbnailsPath(url))
    XCTAssertEqual(second.status, 200)
    XCTAssertEqual(second.header("ETag"), etag)
    XCTAssertEqual(second.body, first.body)
    XCTAssertEqual(origin.requestCount("/photo.jpg"), 1, "the second request is a cache hit")
    XCTAssertEqual(harness.server.onDemandCounts.rendered, 1)

    // The thumbnail was stored under the master URL with the spec's key, as prefetch does.
    let spec = try ThumbnailSpec.parse(url: url)
    let source = try XCTUnwrap(try harness.cache.original(forURL: spec.masterURL))
    let variant = try XCTUnwrap(
      try harness.cache.thumbnail(original: source.original, specKey: spec.canonicalKey))
    XCTAssertEqual("\"\(variant.thumbnail.hex)\"", etag)
    XCTAssertEqual(variant.width, 64)
  }

  func testHundredConcurrentIdenticalMissesMakeOneFetchAndOneThumbnail() async throws {
    let gate = OriginGate()
    origin.route("/same.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let harness = try await start { $0.queueLimit = 4 }
    let path = try thumbnailsPath(origin.url("/same.jpg?width=80"))
    let port = harness.port

    let replies = Task {
      try await withThrowingTaskGroup(of: HTTPReply.self) { group in
        for _ in 0..<100 { group.addTask { try await RawHTTPClient.get(port: port, path) } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
    }
    // Every request is waiting on the one job before the origin is allowed to answer.
    try await waitUntil("100 requests wait") { harness.server.onDemandWaiting == 100 }
    XCTAssertEqual(origin.requestCount("/same.jpg"), 1)
    gate.open()
    let all = try await replies.value

    XCTAssertEqual(all.count, 100)
    XCTAssertEqual(all.filter { $0.status == 200 }.count, 100, "\(Set(all.map(\.status)))")
    XCTAssertEqual(Set(all.map(\.body)).count, 1)
    XCTAssertEqual(origin.requestCount("/same.jpg"), 1, "exactly one fetch")
    let counts = harness.server.onDemandCounts
    XCTAssertEqual(counts.rendered, 1, "exactly one thumbnail job")
    XCTAssertEqual(counts.rejected, 0, "one job takes one queue slot")
    let spec = try ThumbnailSpec.parse(url: origin.url("/same.jpg?width=80"))
    let source = try XCTUnwrap(try harness.cache.original(forURL: spec.masterURL))
    XCTAssertEqual(try harness.cache.thumbnails(original: source.original).count, 1)
  }

  func testFullQueueAnswers503WhileEverythingElseWorks() async throws {
    let gate = OriginGate()
    for name in ["a", "b", "c", "d"] {
      origin.route("/\(name).jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    }
    let harness = try await start {
      $0.queueLimit = 1
      $0.retryAfterSeconds = 3
    }
    // A cached thumbnail, to show hits go on while the queue is full.
    let cachedURL = "https://cdn.example.com/cached.jpg?width=10"
    let cachedSpec = try ThumbnailSpec.parse(url: cachedURL)
    let original = try harness.seedOriginal(url: cachedSpec.masterURL, bytes: FakeImage.jpeg("c"))
    try harness.seedThumbnail(
      original: original, spec: cachedSpec, bytes: FakeImage.jpeg("ct"), format: .jpeg)

    let slowPath = try thumbnailsPath(origin.url("/a.jpg?width=50"))
    let port = harness.port
    let slow = Task { try await RawHTTPClient.get(port: port, slowPath) }
    try await waitUntil("the first job reaches the origin") {
      self.origin.requestCount("/a.jpg") == 1
    }

    var rejected: [HTTPReply] = []
    for name in ["b", "c", "d"] {
      rejected.append(
        try await harness.get(try thumbnailsPath(origin.url("/\(name).jpg?width=50"))))
    }
    for reply in rejected {
      XCTAssertEqual(reply.status, 503, reply.text)
      XCTAssertEqual(reply.header("Retry-After"), "3")
      XCTAssertEqual(reply.errorKind, "overloaded")
    }
    let hit = try await harness.get(try thumbnailsPath(cachedURL))
    XCTAssertEqual(hit.status, 200, "hits are not queued")
    let health = try await harness.get("/healthz")
    XCTAssertEqual(health.status, 200)
    XCTAssertEqual(origin.requestCount("/b.jpg"), 0, "refused jobs fetch nothing")

    gate.open()
    let first = try await slow.value
    XCTAssertEqual(first.status, 200, first.text)
    for name in ["b", "c", "d"] {
      let retry = try await harness.get(try thumbnailsPath(origin.url("/\(name).jpg?width=50")))
      XCTAssertEqual(retry.status, 200, "\(name): \(retry.text)")
    }
    let counts = harness.server.onDemandCounts
    XCTAssertEqual(counts.rejected, 3)
    XCTAssertEqual(counts.rendered, 4)
    XCTAssertEqual(counts.failed, 0)
  }

  func testDeadlineAnswers504AndTheJobStillStoresItsResult() async throws {
    let gate = OriginGate()
    origin.route("/late.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let harness = try await start { $0.deadline = 0.5 }
    let path = try thumbnailsPath(origin.url("/late.jpg?width=40"))

    let late = try await harness.get(path)
    XCTAssertEqual(late.status, 504, late.text)
    XCTAssertEqual(late.errorKind, "deadline")

    gate.open()
    try await waitUntil("the job stores the thumbnail") {
      harness.server.onDemandCounts.rendered == 1
    }
    let later = try await harness.get(path)
    XCTAssertEqual(later.status, 200)
    XCTAssertEqual(origin.requestCount("/late.jpg"), 1)
  }

  func testSSRFGuardStaysOnByDefault() async throws {
    origin.route("/internal.jpg", .always(.ok(photo, contentType: "image/jpeg")))
    let harness = try await start(allowPrivate: false)

    let reply = try await harness.get(try thumbnailsPath(origin.url("/internal.jpg?width=40")))
    XCTAssertEqual(reply.status, 403, reply.text)
    XCTAssertEqual(reply.errorKind, "blocked_address")
    XCTAssertEqual(origin.totalRequestCount, 0)
  }

  func testOriginFailuresMapToStatuses() async throws {
    origin.route("/gone.jpg", .always(.status(404)))
    origin.route("/page.jpg", .always(.html("<html>paywall</html>")))
    let harness = try await start()

    let gone = try await harness.get(try thumbnailsPath(origin.url("/gone.jpg?width=40")))
    XCTAssertEqual(gone.status, 404, gone.text)
    XCTAssertEqual(gone.errorKind, "http_status")

    let page = try await harness.get(try thumbnailsPath(origin.url("/page.jpg?width=40")))
    XCTAssertEqual(page.status, 422, page.text)
    XCTAssertEqual(page.errorKind, "not_an_image")

    let metrics = try await harness.get("/metrics")
    XCTAssertTrue(
      metrics.text.contains(#"halftone_fetch_errors_total{kind="http_status"} 1"#), metrics.text)
    XCTAssertTrue(metrics.text.contains(#"halftone_ondemand_jobs_total{result="failed"} 2"#))
  }

  func testRequestInFlightFinishesDuringGracefulShutdown() async throws {
    let gate = OriginGate()
    origin.route("/flight.jpg", .always(.ok(photo, contentType: "image/jpeg").held(by: gate)))
    let harness = try await start()
    let port = harness.port
    let path = try thumbnailsPath(origin.url("/flight.jpg?width=40"))

    let inFlight = Task { try await RawHTTPClient.get(port: port, path) }
    try await waitUntil("the request reaches the origin") {
      self.origin.requestCount("/flight.jpg") == 1
    }
    await harness.running.beginShutdown()
    try await waitUntil("new connections are refused") {
      !(await RawHTTPClient.canConnect(port: port))
    }
    gate.open()
    let reply = try await inFlight.value
    XCTAssertEqual(reply.status, 200, reply.text)
    XCTAssertFalse(reply.body.isEmpty)
    try await harness.running.waitUntilStopped()
  }
}
