import Foundation
import HalftoneTestSupport
import XCTest

/// `halftone prefetch` as a process: reports, exit statuses, and a run killed half-way.
final class PrefetchCommandTests: XCTestCase {
  /// Records of `count` images on `origin`, each delayed so a run takes a while.
  private func writeRecords(
    _ dir: TemporaryDirectory, origin: OriginServer, count: Int, delay: TimeInterval
  ) throws {
    var lines: [String] = []
    for i in 0..<count {
      let path = "/photos/\(i).jpg"
      origin.route(
        path, .always(.ok(Fixtures.photoJPEG(width: 800 + i, height: 600)).delayed(by: delay)))
      lines.append(
        #"{"title":"Article \#(i)","sourceUrl":"https://news.example/\#(i)","images":[{"url":"\#(origin.url(path))?width=200","width":200,"height":150}]}"#
      )
    }
    try FileManager.default.createDirectory(
      atPath: dir.path("records"), withIntermediateDirectories: true)
    try Data(lines.joined(separator: "\n").utf8).write(
      to: URL(fileURLWithPath: dir.path("records/a.jsonl")))
  }

  func testKilledRunResumesAndVerifiesClean() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let count = 40
    try writeRecords(dir, origin: origin, count: count, delay: 0.15)
    let arguments = [
      "prefetch", dir.path("records"), "--cache", dir.path("cache"), "--allow-private-addresses",
      "--concurrency", "4", "--quiet", "--report", dir.path("report1.jsonl"),
    ]
    let first = CLIRunner.start(arguments)
    try first.run()
    // Kill it once some references have completed (the report is written as they do).
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let lines =
        (try? String(contentsOfFile: dir.path("report1.jsonl"), encoding: .utf8))?
        .split(separator: "\n").count ?? 0
      if lines >= 8 { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    XCTAssertEqual(first.terminationReason, .uncaughtSignal)
    let requestsBeforeResume = origin.totalRequestCount
    XCTAssertLessThan(requestsBeforeResume, count, "the run finished before it could be killed")

    var resumed = arguments
    resumed[resumed.count - 1] = dir.path("report2.jsonl")
    let second = try CLIRunner.run(resumed)
    XCTAssertEqual(second.status, 0, second.stderr)
    let verify = try CLIRunner.run(["verify", "--cache", dir.path("cache")])
    XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

    // A third run sends no request at all, and reports every reference as already cached.
    let before = origin.totalRequestCount
    let third = try CLIRunner.run(Array(arguments.dropLast(2)) + ["--json"])
    XCTAssertEqual(third.status, 0, third.stderr)
    XCTAssertEqual(origin.totalRequestCount, before)
    let summary = try JSONSerialization.jsonObject(with: Data(third.stdout.utf8)) as? [String: Any]
    XCTAssertEqual(summary?["skipped"] as? Int, count, third.stdout)
  }

  func testReportAndExitStatusWhenSomeFail() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    origin.route("/ok.jpg", .always(.ok(Fixtures.photoJPEG(width: 640, height: 480))))
    origin.route("/gone.jpg", .always(.status(410)))
    let records = """
      {"title":"A","images":[{"url":"\(origin.url("/ok.jpg"))","width":320,"height":240},{"url":"\(origin.url("/gone.jpg"))","width":320,"height":240}]}
      {"title":"B","images":[{"url":"ftp://example.com/x.jpg"}]}
      """
    try Data(records.utf8).write(to: URL(fileURLWithPath: dir.path("r.jsonl")))
    let result = try CLIRunner.run([
      "prefetch", dir.path("r.jsonl"), "--cache", dir.path("cache"), "--allow-private-addresses",
      "--report", dir.path("report.jsonl"), "--json",
    ])
    XCTAssertEqual(result.status, 1, result.stderr)
    let lines = try String(contentsOfFile: dir.path("report.jsonl"), encoding: .utf8).split(
      separator: "\n")
    XCTAssertEqual(lines.count, 3)
    let outcomes = try lines.map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    let byURL = Dictionary(uniqueKeysWithValues: outcomes.map { ($0["url"] as! String, $0) })
    XCTAssertEqual(byURL[origin.url("/ok.jpg")]?["status"] as? String, "ok")
    let thumbnail = byURL[origin.url("/ok.jpg")]?["thumbnail"] as? [String: Any]
    XCTAssertEqual(thumbnail?["width"] as? Int, 320)
    XCTAssertEqual(byURL[origin.url("/gone.jpg")]?["error_kind"] as? String, "http_status")
    XCTAssertEqual(byURL["ftp://example.com/x.jpg"]?["error_kind"] as? String, "unsupported_scheme")
    XCTAssertTrue((byURL[origin.url("/ok.jpg")]?["record"] as? String ?? "").hasSuffix("r.jsonl"))

    // The private-address guard is on by default: the same origin is refused.
    let guarded = try CLIRunner.run([
      "prefetch", dir.path("r.jsonl"), "--cache", dir.path("cache2"), "--json", "--quiet",
    ])
    XCTAssertEqual(guarded.status, 1)
    XCTAssertTrue(guarded.stdout.contains("blocked_address"), guarded.stdout)

    let usage = try CLIRunner.run(["prefetch", dir.path("missing-dir")])
    XCTAssertEqual(usage.status, 2, usage.stderr)
  }
}
