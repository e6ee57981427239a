import Foundation
import HalftoneStore
import HalftoneTestSupport
import XCTest

@testable import HalftoneS3

/// `S3BlobBackend` against a real S3 server (SeaweedFS on loopback).
final class S3BlobBackendTests: XCTestCase {
  func testPutOpenRangeInfoEnumerate() throws {
    let bucket = try S3TestBucket("put")
    let backend = try bucket.backend()
    let data = S3TestBucket.bytes(300_000, seed: 1)
    let digest = Digest.of(data)
    XCTAssertNil(try backend.info(digest))
    XCTAssertEqual(try backend.put(data, as: digest), .stored)
    XCTAssertEqual(try backend.info(digest)?.bytes, data.count)
    // The bucket's own Last-Modified (`info` answers a blob stored just now from memory).
    let key = backend.blobKey(digest)
    let first = try XCTUnwrap(try bucket.client.head(key))
    XCTAssertEqual(first.bytes, data.count)
    Thread.sleep(forTimeInterval: 1.1)  // Last-Modified has one-second resolution
    let requests = bucket.client.requestCounts.values.reduce(0, +)
    XCTAssertEqual(try backend.put(data, as: digest), .alreadyPresent)
    XCTAssertEqual(
      bucket.client.requestCounts.values.reduce(0, +), requests,
      "stored by this backend moments ago: nothing sent")
    // Another machine (another backend) reusing it refreshes the bucket's age of it.
    XCTAssertEqual(try bucket.backend().put(data, as: digest), .alreadyPresent)
    let refreshed = try XCTUnwrap(try bucket.client.head(key))
    XCTAssertGreaterThan(refreshed.modified, first.modified, "a reused blob's age is refreshed")
    XCTAssertNil(
      try S3BlobBackend(client: bucket.client, stagingDirectory: bucket.staging).info(
        Digest.of(Data("never stored".utf8))), "no memory of it: the bucket is asked")

    // A whole read goes in ranges no larger than the reader's limit.
    let before = bucket.client.requestCounts["GET"] ?? 0
    let ranged = S3BlobReader(
      client: bucket.client, key: key, size: data.count, maxRangeBytes: 100_000)
    var whole = [UInt8](repeating: 0, count: data.count)
    XCTAssertEqual(
      try whole.withUnsafeMutableBytes { try ranged.readFully(at: 0, into: $0) }, data.count)
    XCTAssertEqual(Data(whole), data)
    XCTAssertEqual(
      (bucket.client.requestCounts["GET"] ?? 0) - before, 3, "300,000 bytes in 3 ranges")

    let reader = try XCTUnwrap(try backend.open(digest))
    XCTAssertEqual(reader.size, data.count)
    XCTAssertNil(reader.localPath)
    var buffer = [UInt8](repeating: 0, count: 1000)
    let got = try buffer.withUnsafeMutableBytes { try reader.read(at: 123_456, into: $0) }
    XCTAssertEqual(got, 1000)
    XCTAssertEqual(Data(buffer), data[123_456..<124_456])
    let tail = try buffer.withUnsafeMutableBytes { try reader.read(at: data.count - 10, into: $0) }
    XCTAssertEqual(tail, 10)
    XCTAssertEqual(
      try buffer.withUnsafeMutableBytes { try reader.read(at: data.count, into: $0) }, 0)
    XCTAssertEqual(try backend.get(digest, maxBytes: 1 << 20), data)
    XCTAssertThrowsError(try backend.get(digest, maxBytes: 1000))

    XCTAssertEqual(try backend.enumerate().map(\.digest), [digest])
    XCTAssertEqual(
      try bucket.client.head(key)?.bytes, data.count, "keys are PREFIX/blobs/sha256/ab/<hex>")
  }

  func testServerRefusesBytesThatDoNotHashToTheirName() throws {
    let bucket = try S3TestBucket("corrupt-upload")
    let backend = try bucket.backend()
    let data = S3TestBucket.bytes(10_000, seed: 2)
    let other = Digest.of(Data("something else".utf8))
    XCTAssertThrowsError(try backend.put(data, as: other)) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains("BadDigest") || text.contains("400"), text)
      XCTAssertTrue(text.contains(bucket.location.bucket), "names the bucket: \(text)")
    }
    XCTAssertNil(try backend.info(other), "nothing stored under the wrong name")
  }

  func testStreamedWritersSmallAndMultipart() throws {
    let bucket = try S3TestBucket("writers")
    let backend = try bucket.backend(multipartThreshold: 6 << 20, partBytes: 5 << 20)
    for (size, seed) in [(700_000, UInt64(3)), (12 << 20, UInt64(4))] {
      let data = S3TestBucket.bytes(size, seed: seed)
      let writer = try backend.makeWriter()
      try data.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[..<1000])) }
      try writer.restart()  // a retried download starts over
      var offset = 0
      while offset < data.count {
        let end = min(data.count, offset + 256 << 10)
        try data.withUnsafeBytes {
          try writer.write(UnsafeRawBufferPointer(rebasing: $0[offset..<end]))
        }
        offset = end
      }
      let digest = try writer.commit()
      XCTAssertEqual(digest, Digest.of(data))
      XCTAssertEqual(try backend.get(digest, maxBytes: 64 << 20), data, "\(size) bytes round-trip")
    }
    XCTAssertEqual(try backend.leftovers(), [], "no upload left behind")
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: bucket.staging.path), [],
      "no staging file left behind")
  }

  func testMultipartUploadKilledHalfWayLeavesNoObjectAndIsCleanedUp() throws {
    let bucket = try S3TestBucket("killed-upload")
    let backend = try bucket.backend()
    let part = S3TestBucket.bytes(5 << 20, seed: 5)
    let digest = Digest.of(part + part)
    let key = backend.blobKey(digest)
    // What a process killed after its first part leaves: an upload that is never completed.
    let upload = try bucket.client.createMultipartUpload(key)
    _ = try bucket.client.uploadPart(
      key, uploadID: upload, number: 1, part, checksum: Array(Digest.of(part).bytes))
    XCTAssertNil(try backend.info(digest), "no object before the upload completes")
    let leftovers = try backend.leftovers()
    XCTAssertEqual(leftovers.count, 1)
    XCTAssertTrue(leftovers[0].name.contains(upload))
    try backend.removeLeftover(leftovers[0])
    XCTAssertEqual(try backend.leftovers(), [])
    XCTAssertNil(try backend.info(digest))
  }

  func testQuarantineAndConditionalRemove() throws {
    let bucket = try S3TestBucket("quarantine")
    let backend = try bucket.backend()
    let a = S3TestBucket.bytes(5000, seed: 6)
    let b = S3TestBucket.bytes(7000, seed: 7)
    _ = try backend.put(a, as: Digest.of(a))
    _ = try backend.put(b, as: Digest.of(b))
    XCTAssertTrue(try backend.quarantine(Digest.of(a)))
    XCTAssertFalse(try backend.quarantine(Digest.of(a)), "already gone")
    XCTAssertNil(try backend.info(Digest.of(a)))
    XCTAssertEqual(try backend.quarantined(), ByteTally(count: 1, bytes: 5000))
    XCTAssertFalse(
      try backend.remove(Digest.of(b), ifUnmodifiedSince: Date().addingTimeInterval(-3600)),
      "younger than the cutoff: kept")
    XCTAssertNotNil(try backend.info(Digest.of(b)))
    XCTAssertTrue(
      try backend.remove(Digest.of(b), ifUnmodifiedSince: Date().addingTimeInterval(60)))
    XCTAssertEqual(try backend.enumerate(), [])
  }

  func testListingFollowsContinuationTokens() throws {
    let bucket = try S3TestBucket("listing")
    // Over one page of 1000 would take long; the page size is S3's, so list a prefix with
    // max-keys forced low through the same continuation loop.
    for i in 0..<7 { try bucket.client.put(bucket.location.key("many/\(i)"), Data("\(i)".utf8)) }
    let all = try bucket.client.list(prefix: bucket.location.key("many/"), pageSize: 3)
    XCTAssertEqual(Set(all.map(\.key)), Set((0..<7).map { bucket.location.key("many/\($0)") }))
  }

  func testWrongCredentialsMissingBucketAndUnreachableEndpoint() throws {
    let bucket = try S3TestBucket("access")
    let wrong = try S3Client(
      location: bucket.location,
      credentials: S3Credentials(accessKeyID: bucket.server.accessKey, secretAccessKey: "wrong"))
    XCTAssertThrowsError(try wrong.checkAccess()) { error in
      XCTAssertTrue("\(error)".contains("AWS_ACCESS_KEY_ID"), "\(error)")
      XCTAssertTrue("\(error)".contains("403"), "\(error)")
    }
    let missing = try S3Client(
      location: try S3Location(
        store: "s3://no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())/x",
        endpoint: bucket.server.endpoint, region: nil),
      credentials: S3Credentials(
        accessKeyID: bucket.server.accessKey, secretAccessKey: bucket.server.secretKey))
    XCTAssertThrowsError(try missing.checkAccess()) { error in
      XCTAssertTrue("\(error)".contains("NoSuchBucket"), "\(error)")
    }
    let closed = try SeaweedServer.closedPort()
    let unreachable = try S3Client(
      location: try S3Location(
        store: "s3://some-bucket/x", endpoint: "http://127.0.0.1:\(closed)", region: nil),
      credentials: S3Credentials(accessKeyID: "a", secretAccessKey: "b"), maxAttempts: 2,
      retryBase: 0.01)
    XCTAssertThrowsError(try unreachable.checkAccess()) { error in
      let store = error as? StoreError
      XCTAssertEqual(store?.kind, .storage)
      XCTAssertTrue("\(error)".contains("s3://some-bucket"), "\(error)")
      XCTAssertTrue("\(error)".contains("gave up after 2 attempts"), "\(error)")
    }
  }
}
