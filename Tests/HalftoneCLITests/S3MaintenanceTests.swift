import Foundation
import HalftoneStore
import HalftoneTestSupport
import XCTest

@testable import HalftoneS3

/// `verify --repair`, `gc` and `stats` on a shared store, run from a machine whose local index
/// is empty: the bucket's reference documents are the references.
final class S3MaintenanceTests: XCTestCase {
  private func json(_ text: String) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
  }

  private func keys(_ bucket: S3TestBucket, _ prefix: String) throws -> Set<String> {
    Set(try bucket.client.list(prefix: bucket.location.key(prefix)).map(\.key))
  }

  private func prefetch(
    _ dir: TemporaryDirectory, _ records: String, index: String, _ bucket: S3TestBucket
  ) throws -> [String: Any] {
    let run = try CLIRunner.run(
      [
        "prefetch", dir.path(records), "--cache", dir.path(index), "--allow-private-addresses",
        "--quiet", "--json",
      ], environment: bucket.environment)
    XCTAssertEqual(run.status, 0, run.stderr)
    return try json(run.stdout)
  }

  /// Writes a blob behind Halftone's back (no reference names it).
  private func putOrphan(_ bucket: S3TestBucket, seed: UInt64) throws -> Digest {
    let bytes = S3TestBucket.bytes(1000, seed: seed)
    let digest = Digest.of(bytes)
    try bucket.client.put(
      bucket.location.key("blobs/sha256/\(digest.shard)/\(digest.hex)"), bytes,
      checksum: digest.bytes)
    return digest
  }

  func testVerifyRepairOverTheBucketKeepsWhatAnyMachineNamed() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("verify-repair")
    let count = 4
    try writePhotoRecords(dir, origin: origin, count: count)
    XCTAssertEqual(try prefetch(dir, "records.jsonl", index: "writer", bucket)["ok"] as? Int, count)
    let blobs = try keys(bucket, "blobs/")
    XCTAssertEqual(blobs.count, 2 * count)

    // Behind Halftone's back: a blob nobody names, an upload abandoned half-way (what a writer
    // killed after its first part leaves), a document that is not a reference, and a thumbnail
    // blob deleted (its document now dangles).
    let orphan = try putOrphan(bucket, seed: 1)
    let part = S3TestBucket.bytes(5 << 20, seed: 2)
    let uploadKey = bucket.location.key("blobs/sha256/\(Digest.of(part + part).shard)/x")
    let upload = try bucket.client.createMultipartUpload(uploadKey)
    _ = try bucket.client.uploadPart(
      uploadKey, uploadID: upload, number: 1, part, checksum: Digest.of(part).bytes)
    let badReference = bucket.location.key(
      "refs/originals/\(String(repeating: "0", count: 64)).json")
    try bucket.client.put(badReference, Data("not json".utf8))
    let thumbnailDocuments = try keys(bucket, "refs/thumbnails/")
    let lostDocument = try XCTUnwrap(thumbnailDocuments.sorted().first)
    let document = try XCTUnwrap(try bucket.client.get(lostDocument))
    let lostThumbnail = try XCTUnwrap(
      try json(String(decoding: document, as: UTF8.self))["thumbnail"] as? String)
    let lostKey = try XCTUnwrap(blobs.first { $0.hasSuffix(lostThumbnail) })
    try bucket.client.delete(lostKey)

    // A machine with an empty index: the other machine's blobs are not orphans.
    let verify = ["verify", "--cache", dir.path("fresh"), "--json"]
    let check = try CLIRunner.run(verify, environment: bucket.environment)
    XCTAssertEqual(check.status, 1, check.stdout + check.stderr)
    let found = try XCTUnwrap(try json(check.stdout)["report"] as? [String: Any])
    XCTAssertEqual(found["checked_references"] as? Int, 2 * count + 1, check.stdout)
    XCTAssertEqual(found["orphans"] as? [String], [], "young: protected by the 1d default grace")
    XCTAssertEqual(found["recent_orphans"] as? Int, 1, check.stdout)
    XCTAssertEqual(found["recent_leftovers"] as? Int, 1, check.stdout)
    XCTAssertEqual((found["invalid_references"] as? [String])?.count, 1, check.stdout)
    XCTAssertEqual((found["dangling_thumbnails"] as? [Any])?.count, 1, check.stdout)

    let repair = try CLIRunner.run(
      verify + ["--repair", "--grace", "0"], environment: bucket.environment)
    XCTAssertEqual(repair.status, 1, "problems found (and repaired): " + repair.stdout)
    let repaired = try XCTUnwrap(try json(repair.stdout)["report"] as? [String: Any])
    XCTAssertEqual(repaired["orphans"] as? [String], [orphan.hex], repair.stdout)
    XCTAssertEqual((repaired["leftovers"] as? [String])?.count, 1, repair.stdout)
    XCTAssertEqual(repaired["repaired"] as? Bool, true)

    XCTAssertEqual(try keys(bucket, "blobs/"), blobs.subtracting([lostKey]), "only the orphan went")
    XCTAssertEqual(try bucket.client.listMultipartUploads(prefix: bucket.location.key("")), [])
    XCTAssertNil(try bucket.client.get(badReference))
    XCTAssertEqual(
      try keys(bucket, "refs/thumbnails/"), thumbnailDocuments.subtracting([lostDocument]))

    let clean = try CLIRunner.run(verify, environment: bucket.environment)
    XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)

    // Another machine makes the lost thumbnail again, from the original in the bucket.
    let requests = origin.totalRequestCount
    let again = try prefetch(dir, "records.jsonl", index: "other", bucket)
    XCTAssertEqual(again["ok"] as? Int, 1, "\(again)")
    XCTAssertEqual(again["skipped"] as? Int, count - 1, "\(again)")
    XCTAssertEqual(origin.totalRequestCount, requests, "the original came from the bucket")
    XCTAssertEqual(try keys(bucket, "blobs/").count, 2 * count)
  }

  func testGcOnASharedStoreRemovesOnlyWhatNoFreshReferenceNames() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("gc")
    try writePhotoRecords(dir, origin: origin, count: 2, file: "old.jsonl")
    try writePhotoRecords(dir, origin: origin, count: 2, first: 10, file: "new.jsonl")
    XCTAssertEqual(try prefetch(dir, "old.jsonl", index: "a", bucket)["ok"] as? Int, 2)
    let oldWritten = Date()
    let oldBlobs = try keys(bucket, "blobs/")
    Thread.sleep(forTimeInterval: 5)
    XCTAssertEqual(try prefetch(dir, "new.jsonl", index: "b", bucket)["ok"] as? Int, 2)
    let newBlobs = try keys(bucket, "blobs/").subtracting(oldBlobs)
    XCTAssertEqual(newBlobs.count, 4)
    let orphan = try putOrphan(bucket, seed: 3)

    let gc = ["gc", "--cache", dir.path("fresh"), "--json"]
    let sized = try CLIRunner.run(gc + ["--max-size", "1G"], environment: bucket.environment)
    XCTAssertEqual(sized.status, 2)
    XCTAssertTrue(
      sized.stderr.contains("--max-size cannot be kept on a shared store"), sized.stderr)

    // Default grace (1d): the young orphan stays.
    let kept = try json(try CLIRunner.run(gc, environment: bucket.environment).stdout)
    let keptReport = try XCTUnwrap(kept["report"] as? [String: Any])
    XCTAssertEqual((keptReport["protected_by_grace"] as? [String: Any])?["count"] as? Int, 1)
    XCTAssertEqual(try keys(bucket, "blobs/").count, 9)

    let unreferenced = try CLIRunner.run(gc + ["--grace", "0"], environment: bucket.environment)
    XCTAssertEqual(unreferenced.status, 0, unreferenced.stderr)
    let first = try XCTUnwrap(try json(unreferenced.stdout)["report"] as? [String: Any])
    XCTAssertEqual((first["removed_unreferenced"] as? [String: Any])?["count"] as? Int, 1)
    XCTAssertEqual(first["removed_shared_references"] as? Int, 0)
    XCTAssertFalse(try keys(bucket, "blobs/").contains { $0.hasSuffix(orphan.hex) })
    XCTAssertEqual(try keys(bucket, "blobs/"), oldBlobs.union(newBlobs))

    // References of the old records are older than AGE, those of the new ones are not.
    let age = Int(Date().timeIntervalSince(oldWritten)) - 1
    let aged = try CLIRunner.run(
      gc + ["--grace", "0", "--max-age", "\(age)s"], environment: bucket.environment)
    XCTAssertEqual(aged.status, 0, aged.stderr)
    let second = try XCTUnwrap(try json(aged.stdout)["report"] as? [String: Any])
    XCTAssertEqual(second["removed_shared_references"] as? Int, 4, aged.stdout)
    XCTAssertEqual((second["removed_originals"] as? [String: Any])?["count"] as? Int, 2)
    XCTAssertEqual((second["removed_thumbnails"] as? [String: Any])?["count"] as? Int, 2)
    XCTAssertEqual(try keys(bucket, "blobs/"), newBlobs)
    XCTAssertEqual(try keys(bucket, "refs/").count, 4)

    // The new records still come from the bucket; the old ones are fetched again.
    let requests = origin.totalRequestCount
    XCTAssertEqual(try prefetch(dir, "new.jsonl", index: "c", bucket)["skipped"] as? Int, 2)
    XCTAssertEqual(origin.totalRequestCount, requests)
    XCTAssertEqual(try prefetch(dir, "old.jsonl", index: "c", bucket)["ok"] as? Int, 2)
    XCTAssertEqual(origin.totalRequestCount, requests + 2)
    let verify = try CLIRunner.run(
      ["verify", "--cache", dir.path("fresh")], environment: bucket.environment)
    XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

    let stats = try CLIRunner.run(
      ["stats", "--cache", dir.path("fresh"), "--json"], environment: bucket.environment)
    let counts = try XCTUnwrap(try json(stats.stdout)["stats"] as? [String: Any])
    XCTAssertEqual((counts["unreferenced"] as? [String: Any])?["count"] as? Int, 0, stats.stdout)
    XCTAssertEqual((counts["originals"] as? [String: Any])?["count"] as? Int, 4, stats.stdout)
  }

  func testAFailureIsSharedWithEveryMachineUntilTheURLSucceeds() throws {
    let dir = try TemporaryDirectory()
    let origin = try OriginServer()
    defer { origin.stop() }
    let bucket = try S3TestBucket("failures")
    origin.route(
      "/gone.jpg", .sequence([.status(404), .ok(Fixtures.photoJPEG(width: 320, height: 240))]))
    let url = origin.url("/gone.jpg")
    try Data(#"{"title":"Gone","images":[{"url":"\#(url)","width":160,"height":120}]}"#.utf8)
      .write(to: URL(fileURLWithPath: dir.path("gone.jsonl")))
    let failed = try CLIRunner.run(
      [
        "prefetch", dir.path("gone.jsonl"), "--cache", dir.path("a"), "--allow-private-addresses",
        "--quiet", "--json",
      ], environment: bucket.environment)
    XCTAssertEqual(failed.status, 1, failed.stdout)
    XCTAssertEqual(try keys(bucket, "refs/failures/").count, 1)

    // Another machine's lookup says why the image is missing.
    let lookup = try CLIRunner.run(
      ["lookup", url, "--json", "--cache", dir.path("b")], environment: bucket.environment)
    XCTAssertEqual(lookup.status, 1, lookup.stdout + lookup.stderr)
    let candidates = try XCTUnwrap(try json(lookup.stdout)["candidates"] as? [[String: Any]])
    let candidate = try XCTUnwrap(candidates.first { $0["url"] as? String == url }, lookup.stdout)
    XCTAssertEqual(candidate["last_status"] as? String, "failed", lookup.stdout)
    XCTAssertEqual(candidate["last_error_kind"] as? String, "http_status", lookup.stdout)

    // The URL works again: its original supersedes the failure, which gc then removes.
    XCTAssertEqual(try prefetch(dir, "gone.jsonl", index: "a", bucket)["ok"] as? Int, 1)
    let again = try CLIRunner.run(
      ["lookup", url, "--json", "--cache", dir.path("c")], environment: bucket.environment)
    XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
    let gc = try CLIRunner.run(
      ["gc", "--cache", dir.path("c"), "--json"], environment: bucket.environment)
    XCTAssertEqual(gc.status, 0, gc.stderr)
    let report = try XCTUnwrap(try json(gc.stdout)["report"] as? [String: Any])
    XCTAssertEqual(report["removed_shared_references"] as? Int, 1, gc.stdout)
    XCTAssertEqual(try keys(bucket, "refs/failures/"), [])
    XCTAssertEqual(try keys(bucket, "blobs/").count, 2, "the original and its thumbnail stay")
  }
}
