import Foundation
import HalftoneTestSupport
import XCTest

/// `prefetch --archive …` as a process: the report's provenance and origin failures, the
/// User-Agent's contact, `--retry-failed`, `lookup`, and usage errors.
final class ArchiveCommandTests: XCTestCase {
  func testRecoveryReportRetryFailedAndLookup() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let archive = try ArchiveServer()
    let photo = Fixtures.photoJPEG(width: 800, height: 600)
    origin.route("/alive.jpg", .always(.ok(photo, contentType: "image/jpeg")))
    let (alive, recovered, missing) = (
      origin.url("/alive.jpg"), origin.url("/recovered.jpg"), origin.url("/missing.jpg")
    )
    archive.add(.init(url: recovered, timestamp: "20190316120000", body: photo))
    let lines = [alive, recovered, missing].enumerated().map { index, url in
      #"{"title":"A\#(index)","publishedDateTime":"2019-03-14T10:00:00Z","images":[{"url":"\#(url)","width":200,"height":150}]}"#
    }
    try FileManager.default.createDirectory(
      atPath: dir.path("records"), withIntermediateDirectories: true)
    try Data(lines.joined(separator: "\n").utf8).write(
      to: URL(fileURLWithPath: dir.path("records/a.jsonl")))
    let common = [
      "--cache", dir.path("cache"), "--allow-private-addresses", "--quiet",
      "--archive", archive.waybackArgument, "--contact", "ops@news.example",
      "--archive-lookup-rate", "6000",
    ]

    let first = try CLIRunner.run(
      ["prefetch", dir.path("records"), "--report", dir.path("r1.jsonl")] + common)
    XCTAssertEqual(first.status, 1, first.stderr)
    let report = try Self.lines(dir.path("r1.jsonl"))
    let archived = try XCTUnwrap(report.first { $0["url"] as? String == recovered })
    let original = try XCTUnwrap(archived["original"] as? [String: Any])
    XCTAssertEqual(archived["status"] as? String, "ok")
    XCTAssertEqual(original["source"] as? String, "archive")
    XCTAssertEqual(original["captured_at"] as? String, "2019-03-16T12:00:00Z")
    XCTAssertEqual(
      original["archive_url"] as? String,
      archive.http.url("/web/20190316120000id_/\(recovered)"))
    let lost = try XCTUnwrap(report.first { $0["url"] as? String == missing })
    XCTAssertEqual(lost["error_kind"] as? String, "not_archived")
    XCTAssertEqual(lost["origin_error_kind"] as? String, "http_status")
    let fine = try XCTUnwrap(report.first { $0["url"] as? String == alive })
    XCTAssertEqual((fine["original"] as? [String: Any])?["source"] as? String, "origin")
    XCTAssertTrue(
      archive.lookups.allSatisfy { $0.header("User-Agent")?.contains("ops@news.example") ?? false },
      "\(archive.lookups.map { $0.header("User-Agent") ?? "" })")

    // The archive has it now; a run over the first report's failures tries only that one.
    archive.add(.init(url: missing, timestamp: "20190315000000", body: photo))
    let aliveRequests = origin.requestCount("/alive.jpg")
    let retry = try CLIRunner.run(
      [
        "prefetch", "--retry-failed", dir.path("r1.jsonl"), "--report", dir.path("r2.jsonl"),
        "--archive-retry-after", "0s",
      ] + common)
    XCTAssertEqual(retry.status, 0, retry.stderr)
    let second = try Self.lines(dir.path("r2.jsonl"))
    XCTAssertEqual(second.map { $0["url"] as? String }, [missing])
    XCTAssertEqual(second.first?["status"] as? String, "ok")
    XCTAssertEqual(origin.requestCount("/alive.jpg"), aliveRequests)

    let lookup = try CLIRunner.run(
      [
        "lookup", recovered, "--width", "200", "--height", "150", "--json", "--cache",
        dir.path("cache"),
      ])
    XCTAssertEqual(lookup.status, 0, lookup.stderr)
    let described = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(lookup.stdout.utf8)) as? [String: Any])
    let resolved = (described["resolved"] as? [String: Any])?["original"] as? [String: Any]
    XCTAssertEqual(resolved?["source"] as? String, "archive")
  }

  func testBadArchiveSettingsAreUsageErrors() throws {
    let dir = try TemporaryDirectory()
    try Data("{}\n".utf8).write(to: URL(fileURLWithPath: dir.path("a.jsonl")))
    let cases: [([String], String)] = [
      (["--archive", "waybak"], "expected wayback"),
      (["--archive", "memento:https://a.example/tg/"], "{url}"),
      (["--archive-only"], "--archive-only needs an archive"),
      (["--archive", "wayback:http://127.0.0.1:9", "--archive-lookup-rate", "0"], "per minute"),
      (["--archive", "wayback:http://127.0.0.1:9", "--archive-retry-after", "soon"], "30d"),
    ]
    for (arguments, message) in cases {
      let result = try CLIRunner.run(
        ["prefetch", dir.path("a.jsonl"), "--cache", dir.path("cache"), "--quiet"] + arguments)
      XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
      XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
  }

  static func lines(_ path: String) throws -> [[String: Any]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }
}
