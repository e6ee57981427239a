import Foundation
import HalftoneS3
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `prefetch` and `verify` with `--store s3://…` against a real S3 server (SeaweedFS on
/// loopback), as processes.
final class S3StoreCommandTests: XCTestCase {
  private func blobs(_ bucket: S3TestBucket) throws -> [ObjectInfo] {
    try bucket.client.list(prefix: bucket.location.key("blobs/"))
  }

  func testPrefetchIntoABucketThenVerifyThenRerunWithoutUploads() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("prefetch")
    let count = 5
    try writePhotoRecords(dir, origin: origin, count: count)
    let prefetch = [
      "prefetch", dir.path("records.jsonl"), "--cache", dir.path("index"),
      "--allow-private-addresses", "--quiet", "--json",
    ]
    let first = try CLIRunner.run(prefetch, environment: bucket.environment)
    XCTAssertEqual(first.status, 0, first.stderr)
    let summary = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
    XCTAssertEqual(summary?["ok"] as? Int, count, first.stdout)
    // Per new reference: one read-through miss per lookup, a PUT per blob and per reference
    // document, and no HEAD (a blob stored by this process is known present).
    let firstRequests = try XCTUnwrap(summary?["store_requests"] as? [String: Int], first.stdout)
    XCTAssertEqual(firstRequests["PUT"], 4 * count, first.stdout)
    XCTAssertNil(firstRequests["HEAD"], first.stdout)

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
    let secondSummary = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8))
    let secondRequests = (secondSummary as? [String: Any])?["store_requests"] as? [String: Int]
    XCTAssertNil(secondRequests?["PUT"], "no upload: " + second.stdout)
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
    try writePhotoRecords(dir, origin: origin, count: 2)
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
    try writePhotoRecords(dir, origin: origin, count: 2)
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
    let badSize = try CLIRunner.run(
      prefetch + ["--local-cache-size", "lots"], environment: bucket.environment)
    XCTAssertEqual(badSize.status, 2, badSize.stderr)
    XCTAssertTrue(badSize.stderr.contains("--local-cache-size: expected a size"), badSize.stderr)
    XCTAssertEqual(origin.totalRequestCount, 0, "nothing fetched")
  }
}

/// Two machines on one bucket: sharded prefetch, then a third machine that finds everything.
final class S3ShardedPrefetchTests: XCTestCase {
  func testTwoShardsIntoOneBucketThenAnEmptyIndexFindsEveryReference() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("shards")
    let masters = 8
    // Two references to each master (different declared sizes): one shard must take both.
    try writePhotoRecords(
      dir, origin: origin, count: masters, width: 700, height: 500, sizes: [(160, 120), (90, 90)])
    func prefetch(_ index: String, _ extra: [String]) -> Process {
      CLIRunner.start(
        [
          "prefetch", dir.path("records.jsonl"), "--cache", dir.path("index-\(index)"),
          "--allow-private-addresses", "--quiet", "--report", dir.path("report-\(index).jsonl"),
        ] + extra, environment: bucket.environment)
    }
    let machines = [prefetch("0", ["--shard", "0/2"]), prefetch("1", ["--shard", "1/2"])]
    for machine in machines { try machine.run() }
    for machine in machines {
      machine.waitUntilExit()
      XCTAssertEqual(machine.terminationStatus, 0)
    }
    func report(_ index: String) throws -> [[String: Any]] {
      try String(contentsOfFile: dir.path("report-\(index).jsonl"), encoding: .utf8)
        .split(separator: "\n").map {
          try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
    let split = try report("0") + report("1")
    XCTAssertEqual(split.count, 2 * masters, "every reference on exactly one shard")
    XCTAssertFalse(try report("0").isEmpty)
    XCTAssertFalse(try report("1").isEmpty)
    XCTAssertEqual(
      split.compactMap { $0["status"] as? String }, Array(repeating: "ok", count: split.count))
    XCTAssertEqual(origin.totalRequestCount, masters, "no master fetched by both machines")
    let blobs = try bucket.client.list(prefix: bucket.location.key("blobs/"))
    XCTAssertEqual(blobs.count, 3 * masters, "each original and thumbnail stored once")

    // A third machine with an empty index: everything is found through the bucket's references.
    let third = try CLIRunner.run(
      [
        "prefetch", dir.path("records.jsonl"), "--cache", dir.path("index-2"),
        "--allow-private-addresses", "--quiet", "--json", "--report", dir.path("report-2.jsonl"),
      ], environment: bucket.environment)
    XCTAssertEqual(third.status, 0, third.stderr)
    XCTAssertEqual(origin.totalRequestCount, masters, "nothing fetched again")
    let found = try report("2")
    XCTAssertEqual(
      found.compactMap { $0["status"] as? String }, Array(repeating: "skipped", count: found.count))
    func thumbnails(_ lines: [[String: Any]]) -> [String: String] {
      Dictionary(
        uniqueKeysWithValues: lines.compactMap { line in
          guard let url = line["url"] as? String,
            let digest = (line["thumbnail"] as? [String: Any])?["digest"] as? String
          else { return nil }
          return (url, digest)
        })
    }
    XCTAssertEqual(thumbnails(found), thumbnails(split), "the same thumbnail for every reference")
    XCTAssertEqual(thumbnails(found).count, 2 * masters)
  }

  func testShardFromKubernetesAndSlurmEnvironments() throws {
    let dir = try TemporaryDirectory()
    try Data().write(to: URL(fileURLWithPath: dir.path("empty.jsonl")))
    let base = ["prefetch", dir.path("empty.jsonl"), "--cache", dir.path("cache")]
    let kubernetes = try CLIRunner.run(
      base + ["--shards", "3"], environment: ["JOB_COMPLETION_INDEX": "2"])
    XCTAssertEqual(kubernetes.status, 0, kubernetes.stderr)
    XCTAssertTrue(kubernetes.stderr.contains("prefetch: shard 2/3"), kubernetes.stderr)
    let slurm = try CLIRunner.run(
      base,
      environment: [
        "SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "3",
      ])
    XCTAssertEqual(slurm.status, 0, slurm.stderr)
    XCTAssertTrue(slurm.stderr.contains("prefetch: shard 1/3"), slurm.stderr)
    let missing = try CLIRunner.run(base + ["--shards", "3"])
    XCTAssertEqual(missing.status, 2)
    XCTAssertTrue(missing.stderr.contains("JOB_COMPLETION_INDEX"), missing.stderr)
    let bad = try CLIRunner.run(base + ["--shard", "3/3"])
    XCTAssertEqual(bad.status, 2)
    XCTAssertTrue(bad.stderr.contains("--shard: expected I/N"), bad.stderr)
  }
}
