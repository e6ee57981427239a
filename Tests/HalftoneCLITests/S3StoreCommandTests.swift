import Foundation
import HalftoneS3
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `prefetch` and `verify` with `--store s3://…` against a real S3 server (SeaweedFS on
/// loopback), as processes.
final class S3StoreCommandTests: XCTestCase {
  private func writeRecords(_ dir: TemporaryDirectory, origin: OriginServer, count: Int) throws {
    var lines: [String] = []
    for i in 0..<count {
      let path = "/photos/\(i).jpg"
      origin.route(path, .always(.ok(Fixtures.photoJPEG(width: 640 + i, height: 480))))
      lines.append(
        #"{"title":"Article \#(i)","images":[{"url":"\#(origin.url(path))?width=160","width":160,"height":120}]}"#
      )
    }
    try Data(lines.joined(separator: "\n").utf8).write(
      to: URL(fileURLWithPath: dir.path("records.jsonl")))
  }

  private func blobs(_ bucket: S3TestBucket) throws -> [ObjectInfo] {
    try bucket.client.list(prefix: bucket.location.key("blobs/"))
  }

  func testPrefetchIntoABucketThenVerifyThenRerunWithoutUploads() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("prefetch")
    let count = 5
    try writeRecords(dir, origin: origin, count: count)
    let prefetch = [
      "prefetch", dir.path("records.jsonl"), "--cache", dir.path("index"),
      "--allow-private-addresses", "--quiet", "--json",
    ]
    let first = try CLIRunner.run(prefetch, environment: bucket.environment)
    XCTAssertEqual(first.status, 0, first.stderr)
    let summary = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
    XCTAssertEqual(summary?["ok"] as? Int, count, first.stdout)

    // Every original and thumbnail is an object named by its SHA-256; nothing in the local folder.
    let stored = try blobs(bucket)
    XCTAssertEqual(stored.count, 2 * count, stored.map(\.key).joined(separator: "\n"))
    for object in stored {
      let name = String(object.key.split(separator: "/").last ?? "")
      let bytes = try XCTUnwrap(try bucket.client.get(object.key))
      XCTAssertEqual(Digest.of(bytes).hex, name, "\(object.key) holds the bytes it is named by")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("index/blobs/sha256")))

    let verify = try CLIRunner.run(
      ["verify", "--cache", dir.path("index"), "--json"], environment: bucket.environment)
    XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    XCTAssertTrue(verify.stdout.contains(#""clean":true"#), verify.stdout)

    // A second run: no origin request, no upload (no object's Last-Modified moves).
    Thread.sleep(forTimeInterval: 1.1)
    let requests = origin.totalRequestCount
    let second = try CLIRunner.run(prefetch, environment: bucket.environment)
    XCTAssertEqual(second.status, 0, second.stderr)
    XCTAssertEqual(origin.totalRequestCount, requests)
    XCTAssertEqual(Set(try blobs(bucket)), Set(stored))

    let stats = try CLIRunner.run(
      ["stats", "--cache", dir.path("index"), "--json"], environment: bucket.environment)
    XCTAssertEqual(stats.status, 0, stats.stderr)
  }

  func testACorruptObjectIsFoundByVerifyAndQuarantined() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("corrupt")
    try writeRecords(dir, origin: origin, count: 2)
    let first = try CLIRunner.run(
      [
        "prefetch", dir.path("records.jsonl"), "--cache", dir.path("index"),
        "--allow-private-addresses", "--quiet",
      ], environment: bucket.environment)
    XCTAssertEqual(first.status, 0, first.stderr)
    // Behind Halftone's back: other bytes under a blob's name (no checksum on this PUT).
    let victim = try XCTUnwrap(try blobs(bucket).first)
    try bucket.client.put(victim.key, Data("not the blob".utf8))
    let verify = try CLIRunner.run(
      ["verify", "--cache", dir.path("index")], environment: bucket.environment)
    XCTAssertEqual(verify.status, 1, verify.stdout + verify.stderr)
    let name = String(victim.key.split(separator: "/").last ?? "")
    XCTAssertTrue(verify.stdout.contains("corrupt     \(name)"), verify.stdout)
    XCTAssertNil(try bucket.client.head(victim.key), "out of service")
    XCTAssertEqual(
      try bucket.client.list(prefix: bucket.location.key("quarantine/")).count, 1, "kept aside")
  }

  func testWrongCredentialsAndMissingBucketFailAtStartWithExitStatus2() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("access")
    try writeRecords(dir, origin: origin, count: 2)
    let prefetch = [
      "prefetch", dir.path("records.jsonl"), "--cache", dir.path("index"),
      "--allow-private-addresses", "--quiet",
    ]
    var wrongKey = bucket.environment
    wrongKey["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
    let refused = try CLIRunner.run(prefetch, environment: wrongKey)
    XCTAssertEqual(refused.status, 2, refused.stderr)
    XCTAssertTrue(refused.stderr.contains("halftone: storage: S3 LIST"), refused.stderr)
    XCTAssertTrue(refused.stderr.contains("AWS_SECRET_ACCESS_KEY"), refused.stderr)

    var missing = bucket.environment
    missing["HALFTONE_STORE"] = "s3://\(SeaweedServer.bucketName("missing"))/x"
    let absent = try CLIRunner.run(prefetch, environment: missing)
    XCTAssertEqual(absent.status, 2, absent.stderr)
    XCTAssertTrue(absent.stderr.contains("NoSuchBucket"), absent.stderr)

    let badStore = try CLIRunner.run(prefetch + ["--store", "gs://bucket/x"])
    XCTAssertEqual(badStore.status, 2, badStore.stderr)
    XCTAssertTrue(badStore.stderr.contains("s3://BUCKET/PREFIX"), badStore.stderr)
    XCTAssertEqual(origin.totalRequestCount, 0, "nothing fetched")

    // What cannot work on a bucket yet is refused, not run with another meaning.
    for arguments in [["gc", "--max-age", "30d"], ["verify", "--repair"], ["serve", "--port", "0"]] {
      let result = try CLIRunner.run(
        arguments + ["--cache", dir.path("index")], environment: bucket.environment)
      XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
      XCTAssertTrue(result.stderr.contains("does not work with --store yet"), result.stderr)
    }
  }
}
