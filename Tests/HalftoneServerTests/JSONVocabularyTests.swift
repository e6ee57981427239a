import Foundation
import Halftone
import HalftoneFetch
import HalftoneRecords
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// Every JSON object Halftone writes uses snake_case names and the README's vocabulary: each is
/// rendered here from a real run and its keys checked at every depth.
final class JSONVocabularyTests: XCTestCase {
  /// Every key of `value`, at every depth, with the path that leads to it.
  static func keys(_ value: Any, at path: String = "") -> [(path: String, key: String)] {
    if let object = value as? [String: Any] {
      return object.flatMap { key, child in
        [(path, key)] + keys(child, at: path.isEmpty ? key : path + "." + key)
      }
    }
    if let array = value as? [Any] { return array.flatMap { keys($0, at: path + "[]") } }
    return []
  }

  private func assertVocabulary(
    _ data: Data, has expected: Set<String>, _ what: String,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let object = try JSONSerialization.jsonObject(with: data)
    let found = Self.keys(object)
    for (path, key) in found {
      XCTAssertNotNil(
        key.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression),
        "\(what): \(path).\(key) is not snake_case", file: file, line: line)
    }
    let names = Set(found.map { $0.path.isEmpty ? $0.key : $0.path + "." + $0.key })
    let missing = expected.subtracting(names)
    XCTAssertTrue(missing.isEmpty, "\(what) lacks \(missing.sorted()); has \(names.sorted())")
  }

  func testEveryObjectUsesTheVocabulary() async throws {
    let origin = try OriginServer()
    defer { origin.stop() }
    origin.route(
      "/v/photo.jpg",
      .always(.ok(Fixtures.photoJPEG(width: 400, height: 300), contentType: "image/jpeg")))
    let harness = try await ServerHarness.start()
    defer { Task { try? await harness.stop() } }
    let url = origin.url("/v/photo.jpg?width=100")

    let fetcher = try Fetcher(
      policy: FetchPolicy(totalTimeout: 10, maxAttempts: 1, allowPrivateAddresses: true))
    defer { fetcher.shutdown() }
    let prefetcher = Prefetcher(cache: harness.cache, fetcher: fetcher, options: PrefetchOptions())
    let reference = ImageReference(
      url: url, declaredWidth: 100, declaredHeight: 75,
      article: ArticleProvenance(
        sourceURL: "https://news.example/a", publishedDateTime: "2026-12-01T00:00:00Z",
        title: "A"),
      location: RecordLocation(file: "a.jsonl", line: 1))
    var outcomes: [ReferenceOutcome] = []
    let summary = await prefetcher.run([RecordItem.reference(reference)]) { outcomes.append($0) }
    let outcome = try XCTUnwrap(outcomes.first)
    XCTAssertEqual(outcome.status, .ok, "\(outcome)")

    let encoder = HalftoneJSON.encoder()
    try assertVocabulary(
      try encoder.encode(outcome),
      has: [
        "record", "line", "url", "dialect", "status", "original", "original.digest", "original.url",
        "original.fetched_at", "thumbnail", "thumbnail.digest", "thumbnail.spec_key",
        "thumbnail.width", "thumbnail.height", "thumbnail.format", "thumbnail.bytes",
        "thumbnail.href", "title", "source_url", "published",
      ], "report line")
    try assertVocabulary(
      try encoder.encode(summary),
      has: ["references", "ok", "failed", "skipped", "failures", "thumbnail_bytes", "seconds"],
      "prefetch summary")

    let images = try await harness.get("/images?url=\(encoded(url))&width=100&height=75")
    XCTAssertEqual(images.status, 200, images.text)
    try assertVocabulary(
      images.body,
      has: [
        "url", "spec_key", "candidates", "candidates[].url", "candidates[].role",
        "candidates[].last_status", "candidates[].last_attempt_at", "candidates[].usable",
        "candidates[].original", "candidates[].original.digest", "candidates[].original.href",
        "candidates[].original.bytes", "candidates[].original.content_type",
        "candidates[].original.fetched_at", "candidates[].thumbnails",
        "candidates[].thumbnails[].spec_key", "candidates[].thumbnails[].created_at", "resolved",
        "resolved.url", "resolved.original", "resolved.thumbnail", "resolved.thumbnail.digest",
      ], "/images")

    let lookup = try ResolverAgreementTests.runHalftone([
      "lookup", url, "--width", "100", "--height", "75", "--json", "--cache", harness.root.path,
    ])
    XCTAssertEqual(lookup.status, 0, lookup.stderr)
    try assertVocabulary(
      Data(lookup.stdout.utf8),
      has: ["url", "spec_key", "candidates", "resolved.thumbnail.path", "resolved.original.path"],
      "lookup --json")

    let cacheArguments = ["--json", "--cache", harness.root.path]
    let stats = try ResolverAgreementTests.runHalftone(["stats"] + cacheArguments)
    XCTAssertEqual(stats.status, 0, stats.stderr)
    try assertVocabulary(
      Data(stats.stdout.utf8),
      has: [
        "cache", "stats.originals.count", "stats.originals.bytes", "stats.originals_by_format",
        "stats.thumbnails_by_format", "stats.original_urls", "stats.failed_urls",
        "stats.thumbnail_rows", "stats.index_bytes", "stats.staging", "stats.quarantined",
      ], "stats --json")
    let verify = try ResolverAgreementTests.runHalftone(["verify"] + cacheArguments)
    XCTAssertEqual(verify.status, 0, verify.stderr)
    try assertVocabulary(
      Data(verify.stdout.utf8),
      has: [
        "clean", "problems", "report.checked", "report.dangling_urls",
        "report.dangling_thumbnails", "report.recent_orphans", "report.recent_leftovers",
      ], "verify --json")
    let gc = try ResolverAgreementTests.runHalftone(["gc", "--max-size", "1G"] + cacheArguments)
    XCTAssertEqual(gc.status, 0, gc.stderr)
    try assertVocabulary(
      Data(gc.stdout.utf8),
      has: [
        "freed_bytes", "report.max_bytes", "report.bytes_before", "report.bytes_after",
        "report.removed_thumbnails", "report.removed_original_rows", "report.protected_by_grace",
        "report.within_limit",
      ], "gc --json")

    let missing = try await harness.get(try thumbnailsPath(origin.url("/v/none.jpg?width=9")))
    XCTAssertEqual(missing.status, 404)
    try assertVocabulary(missing.body, has: ["error", "error.kind", "error.message"], "error")
  }
}
