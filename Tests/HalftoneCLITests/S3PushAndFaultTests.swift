import Foundation
import HalftoneS3
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `push` of a local cache, and a prefetch whose S3 server is killed half-way.
final class S3PushAndFaultTests: XCTestCase {
  private func json(_ text: String) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  func testPushUploadsEverythingOnceAndTheBucketServesANewMachine() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("push")
    let count = 4
    try writePhotoRecords(
      dir, origin: origin, count: count, width: 600, height: 400, sizes: [(120, 90)])
    let local = try CLIRunner.run([
      "prefetch", dir.path("records.jsonl"), "--cache", dir.path("local"),
      "--allow-private-addresses", "--quiet",
    ])
    XCTAssertEqual(local.status, 0, local.stderr)

    let push = ["push", "--cache", dir.path("local"), "--json"]
    let first = try CLIRunner.run(push, environment: bucket.environment)
    XCTAssertEqual(first.status, 0, first.stderr)
    let report = try json(first.stdout)
    XCTAssertEqual(
      (report["uploaded"] as? [String: Any])?["count"] as? Int, 2 * count, first.stdout)
    XCTAssertEqual(report["references_uploaded"] as? Int, 2 * count, first.stdout)
    XCTAssertEqual(try bucket.client.list(prefix: bucket.location.key("blobs/")).count, 2 * count)

    let again = try json(try CLIRunner.run(push, environment: bucket.environment).stdout)
    XCTAssertEqual((again["uploaded"] as? [String: Any])?["count"] as? Int, 0, "sends nothing")
    XCTAssertEqual(again["references_uploaded"] as? Int, 0)
    XCTAssertEqual((again["present"] as? [String: Any])?["count"] as? Int, 2 * count)

    // A machine with an empty index finds everything in the bucket: no request to the origin.
    let requests = origin.totalRequestCount
    let fresh = try CLIRunner.run(
      [
        "prefetch", dir.path("records.jsonl"), "--cache", dir.path("fresh"),
        "--allow-private-addresses", "--quiet", "--json",
      ], environment: bucket.environment)
    XCTAssertEqual(fresh.status, 0, fresh.stderr)
    XCTAssertEqual(try json(fresh.stdout)["skipped"] as? Int, count, fresh.stdout)
    XCTAssertEqual(origin.totalRequestCount, requests)

    let noStore = try CLIRunner.run(["push", "--cache", dir.path("local")])
    XCTAssertEqual(noStore.status, 2)
    XCTAssertTrue(noStore.stderr.contains("push needs --store"), noStore.stderr)
  }

  func testServerKilledMidPrefetchGivesStorageErrorsAndTheRerunCompletes() throws {
    let server = try SeaweedServer.startPrivate()
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("killed", server: server)
    let count = 30
    try writePhotoRecords(
      dir, origin: origin, count: count, width: 600, height: 400, delay: 0.2, sizes: [(120, 90)])
    let arguments = [
      "prefetch", dir.path("records.jsonl"), "--cache", dir.path("index"),
      "--allow-private-addresses", "--quiet", "--concurrency", "3", "--json",
    ]
    let run = CLIRunner.start(
      arguments + ["--report", dir.path("report1.jsonl")], environment: bucket.environment)
    try run.run()
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let done =
        (try? String(contentsOfFile: dir.path("report1.jsonl"), encoding: .utf8))?
        .split(separator: "\n").count ?? 0
      if done >= 4 { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    server.kill()
    run.waitUntilExit()
    XCTAssertEqual(run.terminationStatus, 1, "some references failed")
    let lines = try String(contentsOfFile: dir.path("report1.jsonl"), encoding: .utf8)
      .split(separator: "\n").map { try json(String($0)) }
    XCTAssertEqual(lines.count, count, "every reference has its line")
    let failed = lines.filter { $0["status"] as? String == "failed" }
    XCTAssertFalse(failed.isEmpty)
    for line in failed {
      XCTAssertEqual(line["error_kind"] as? String, "storage", "\(line)")
      XCTAssertTrue((line["error"] as? String ?? "").contains(bucket.location.bucket), "\(line)")
    }

    try server.restart()
    let rerun = try CLIRunner.run(arguments, environment: bucket.environment)
    XCTAssertEqual(rerun.status, 0, rerun.stderr)
    let summary = try json(rerun.stdout)
    XCTAssertEqual(summary["failed"] as? Int, 0, rerun.stdout)
    let verify = try CLIRunner.run(
      ["verify", "--cache", dir.path("index")], environment: bucket.environment)
    XCTAssertEqual(verify.status, 0, "no partial object: " + verify.stdout + verify.stderr)
    XCTAssertEqual(try bucket.client.list(prefix: bucket.location.key("blobs/")).count, 2 * count)
  }
}
