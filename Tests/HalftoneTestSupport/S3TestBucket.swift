import Foundation
import HalftoneS3
import HalftoneStore

/// A fresh bucket on the shared SeaweedFS server, and a backend over it.
public struct S3TestBucket {
  public let server: SeaweedServer
  public let location: S3Location
  public let client: S3Client
  public let staging: URL

  public init(
    _ name: String, prefix: String = "halftone", retryBase: TimeInterval = 0.05,
    server chosen: SeaweedServer? = nil
  ) throws {
    let server = try chosen ?? SeaweedServer.shared()
    self.server = server
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

  /// Creates the bucket, retried while the server finishes starting (its first signed requests
  /// can fail for a few seconds), then writes one warm-up object (the first PUT allocates
  /// volumes).
  private func createBucket() throws {
    let deadline = Date().addingTimeInterval(60)
    var last: any Error = SeaweedError("no attempt")
    while Date() < deadline {
      do {
        try client.createBucket()
        try client.put(location.key("warm-up"), Data("warm".utf8))
        try client.delete(location.key("warm-up"))
        return
      } catch {
        last = error
      }
      Thread.sleep(forTimeInterval: 0.5)
    }
    throw SeaweedError("could not create bucket \(location.bucket): \(last); see \(server.logPath)")
  }

  /// The environment a `halftone` process needs to use this bucket.
  public var environment: [String: String] {
    [
      "AWS_ACCESS_KEY_ID": server.accessKey, "AWS_SECRET_ACCESS_KEY": server.secretKey,
      "HALFTONE_STORE": location.description, "AWS_ENDPOINT_URL_S3": server.endpoint,
    ]
  }

  public func backend(
    multipartThreshold: Int = 16 << 20, partBytes: Int = 8 << 20
  ) throws -> S3BlobBackend {
    try S3BlobBackend(
      client: client, stagingDirectory: staging, multipartThreshold: multipartThreshold,
      partBytes: partBytes)
  }

  /// Bytes that look random (no two blobs of a test alike).
  public static func bytes(_ count: Int, seed: UInt64) -> Data {
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
