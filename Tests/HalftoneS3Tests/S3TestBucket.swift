import Foundation
import HalftoneStore
import HalftoneTestSupport
import XCTest

@testable import HalftoneS3

/// A fresh bucket on the shared SeaweedFS server, and a backend over it.
struct S3TestBucket {
  let server: SeaweedServer
  let location: S3Location
  let client: S3Client
  let staging: URL

  init(_ name: String, prefix: String = "halftone", retryBase: TimeInterval = 0.05) throws {
    server = try SeaweedServer.shared()
    location = try S3Location(
      store: "s3://\(SeaweedServer.bucketName(name))/\(prefix)", endpoint: server.endpoint,
      region: nil)
    client = try S3Client(
      location: location,
      credentials: S3Credentials(accessKeyID: server.accessKey, secretAccessKey: server.secretKey),
      retryBase: retryBase)
    staging = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-s3-staging-\(UUID().uuidString)")
    try createBucket()
  }

  /// `PUT /bucket`, retried while the server finishes starting (its first signed requests can
  /// fail for a few seconds), then one warm-up object (the first PUT allocates volumes).
  private func createBucket() throws {
    let deadline = Date().addingTimeInterval(60)
    var last = ""
    while Date() < deadline {
      if let response = try? client.send("PUT", key: nil), response.status == 200 {
        try client.put(location.key("warm-up"), Data("warm".utf8))
        try client.delete(location.key("warm-up"))
        return
      } else if let response = try? client.send("PUT", key: nil) {
        last = "HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))"
        if S3Client.errorCode(response) == "BucketAlreadyExists"
          || S3Client.errorCode(response) == "BucketAlreadyOwnedByYou"
        {
          return
        }
      }
      Thread.sleep(forTimeInterval: 0.5)
    }
    XCTFail("could not create bucket \(location.bucket): \(last); see \(server.logPath)")
  }

  func backend(
    multipartThreshold: Int = 16 << 20, partBytes: Int = 8 << 20
  ) throws -> S3BlobBackend {
    try S3BlobBackend(
      client: client, stagingDirectory: staging, multipartThreshold: multipartThreshold,
      partBytes: partBytes)
  }

  /// Bytes that look random (no two blobs of a test alike).
  static func bytes(_ count: Int, seed: UInt64) -> Data {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1
    var data = Data(count: count)
    data.withUnsafeMutableBytes { raw in
      let words = raw.bindMemory(to: UInt8.self)
      for i in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        words[i] = UInt8(truncatingIfNeeded: state >> 33)
      }
    }
    return data
  }
}
