import Foundation
import Halftone
import HalftoneFetch
import HalftoneRecords
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `/thumbnails`, `/images`, `halftone lookup` and prefetch resolve one image reference through
/// one resolver, so they give the same answer for every state of the cache.
final class ResolverAgreementTests: XCTestCase {
  var origin: OriginServer!
  var harness: ServerHarness!
  let master = Fixtures.photoJPEG(width: 800, height: 600, quality: 85)
  let cdnCopy = Fixtures.photoJPEG(width: 200, height: 150, quality: 70)

  override func setUp() async throws {
    origin = try OriginServer()
  }

  override func tearDown() async throws {
    try await harness?.stop()
    origin.stop()
  }

  private func start(_ mode: FetchMode = .master) async throws {
    var options = PipelineOptions()
    options.fetchMode = mode
    harness = try await ServerHarness.start(pipelineOptions: options)
  }

  /// What each of the four callers answers for `url` at 200×150 (the thumbnail digest, `nil`
  /// for "not cached"), prefetch last since it makes what is missing.
  private struct Answers: Equatable {
    var thumbnails: Digest?
    var images: Digest?
    var lookup: Digest?
    var prefetch: Digest?
    var prefetchStatus: ReferenceOutcome.Status?
  }

  private func answers(_ url: String, mode: FetchMode) async throws -> Answers {
    var answers = Answers()
    let reply = try await harness.get(try thumbnailsPath(url, width: 200, height: 150))
    if reply.status == 200 {
      answers.thumbnails = Digest(
        hex: (reply.header("ETag") ?? "").replacingOccurrences(of: "\"", with: ""))
    } else {
      XCTAssertEqual(reply.status, 404, reply.text)
    }

    let images = try await harness.get("/images?url=\(encoded(url))&width=200&height=150")
    if images.status == 200 {
      let description = try HalftoneJSON.decoder().decode(ImageDescription.self, from: images.body)
      answers.images = description.resolved?.thumbnail.digest
    }

    let lookup = try Self.runHalftone([
      "lookup", url, "--width", "200", "--height", "150", "--json", "--cache",
      harness.root.path, "--fetch", mode.rawValue,
    ])
    let described = try HalftoneJSON.decoder().decode(
      ImageDescription.self, from: Data(lookup.stdout.utf8))
    answers.lookup = described.resolved?.thumbnail.digest
    XCTAssertEqual(lookup.status, described.resolved == nil ? 1 : 0, lookup.stderr)

    let fetcher = try Fetcher(
      policy: FetchPolicy(totalTimeout: 10, maxAttempts: 1, allowPrivateAddresses: true))
    defer { fetcher.shutdown() }
    var options = PrefetchOptions()
    options.fetchMode = mode
    let prefetcher = Prefetcher(cache: harness.cache, fetcher: fetcher, options: options)
    let reference = ImageReference(
      url: url, declaredWidth: 200, declaredHeight: 150, article: ArticleProvenance(),
      location: RecordLocation(file: "agreement.jsonl", line: 1))
    let outcome = await prefetcher.process(reference, runStarted: harness.cache.now)
    answers.prefetch = outcome.thumbnail?.digest
    answers.prefetchStatus = outcome.status
    return answers
  }

  /// All four name `expected`; prefetch found it stored (`skipped`, nothing requested).
  private func assertAgree(
    _ url: String, mode: FetchMode = .master, on expected: Digest,
    file: StaticString = #filePath, line: UInt = #line
  ) async throws {
    let requests = origin.totalRequestCount
    let got = try await answers(url, mode: mode)
    XCTAssertEqual(
      got,
      Answers(
        thumbnails: expected, images: expected, lookup: expected, prefetch: expected,
        prefetchStatus: .skipped),
      file: file, line: line)
    XCTAssertEqual(origin.totalRequestCount, requests, "nothing fetched", file: file, line: line)
  }

  /// The thumbnail prefetch makes for `url` now.
  private func prefetch(_ url: String, mode: FetchMode = .master) async throws -> Digest {
    let got = try await answers(url, mode: mode)
    XCTAssertEqual(got.prefetchStatus, .ok)
    return try XCTUnwrap(got.prefetch)
  }

  func testMasterCached() async throws {
    origin.route("/m/photo.jpg", .always(.ok(master, contentType: "image/jpeg")))
    try await start()
    let url = origin.url("/m/photo.jpg?width=200")
    let made = try await prefetch(url)
    XCTAssertEqual(origin.requestCount("/m/photo.jpg"), 1, "the master, once")
    try await assertAgree(url, on: made)
  }

  func testOnlyTheURLAsWrittenCached() async throws {
    // The CDN has no master any more: only its own 200×150 copy answers (with the query).
    let copy = cdnCopy
    origin.route(
      "/w/photo.jpg",
      .handler { $0.query == nil ? .status(404) : .ok(copy, contentType: "image/jpeg") })
    try await start()
    let url = origin.url("/w/photo.jpg?width=200")
    let made = try await prefetch(url)
    let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 200, declaredHeight: 150)
    XCTAssertNil(try harness.cache.original(forURL: spec.masterURL))
    XCTAssertNotNil(try harness.cache.original(forURL: url))
    try await assertAgree(url, on: made)
  }

  func testFetchAsWritten() async throws {
    // Both the master and the CDN's copy are cached, each with a thumbnail for the same spec:
    // the fetch mode decides which one every caller answers.
    let (whole, copy) = (master, cdnCopy)
    origin.route(
      "/a/photo.jpg",
      .handler { .ok($0.query == nil ? whole : copy, contentType: "image/jpeg") })
    try await start(.asWritten)
    let url = origin.url("/a/photo.jpg?width=200")
    let asWritten = try await prefetch(url, mode: .asWritten)
    XCTAssertEqual(
      origin.requests("/a/photo.jpg").filter { $0.query == nil }.count, 0,
      "as written: the master is not asked")
    try await assertAgree(url, mode: .asWritten, on: asWritten)

    try await harness.stop()
    try await start(.master)
    let fromMaster = try await prefetch(url, mode: .master)
    XCTAssertNotEqual(fromMaster, asWritten, "the master's thumbnail is another image")
    try await assertAgree(url, mode: .master, on: fromMaster)
  }

  func testUndecodableCachedOriginal() async throws {
    origin.route("/u/photo.jpg", .always(.ok(master, contentType: "image/jpeg")))
    try await start()
    let url = origin.url("/u/photo.jpg?width=200")
    let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 200, declaredHeight: 150)
    // An original that the last render found undecodable, with a thumbnail row left from
    // before: no caller may answer it, and prefetch fetches the master again.
    let broken = try harness.seedOriginal(url: spec.masterURL, bytes: FakeImage.jpeg("truncated"))
    try harness.seedThumbnail(
      original: broken, spec: spec, bytes: FakeImage.jpeg("stale"), format: .jpeg)
    try harness.cache.recordFailure(
      url: spec.masterURL, kind: .corruptImage, message: "libvips: premature end of JPEG file")

    let first = try await answers(url, mode: .master)
    XCTAssertNil(first.thumbnails)
    XCTAssertNil(first.images)
    XCTAssertNil(first.lookup)
    XCTAssertEqual(first.prefetchStatus, .ok, "prefetch fetched the master again")
    XCTAssertEqual(origin.requestCount("/u/photo.jpg"), 1)
    let remade = try XCTUnwrap(first.prefetch)
    XCTAssertNotEqual(try harness.cache.original(forURL: spec.masterURL)?.original, broken)
    try await assertAgree(url, on: remade)
  }

  /// Runs the built `halftone` executable (it sits next to the test bundle).
  static func runHalftone(_ arguments: [String]) throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let executable = [bundle, bundle.deletingLastPathComponent()].map {
      $0.appendingPathComponent("halftone")
    }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    let process = Process()
    process.executableURL = try XCTUnwrap(executable, "halftone is not built next to the tests")
    process.arguments = arguments
    process.environment = halftoneChildEnvironment()
    let (out, err) = (Pipe(), Pipe())
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: stdout, as: UTF8.self),
      String(decoding: stderr, as: UTF8.self)
    )
  }
}
