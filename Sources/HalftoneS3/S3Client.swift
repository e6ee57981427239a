import Foundation
import HalftoneCore
import HalftoneFetch
import HalftoneStore

/// The S3 REST calls Halftone makes, signed with SigV4 and sent through `EndpointClient`
/// (libcurl) on the calling thread: a store thread.
///
/// Every call retries connection failures, timeouts, 5xx and 429 (`SlowDown`) with jittered
/// exponential backoff, `maxAttempts` in all; other answers are returned for the caller to
/// interpret. A failure is a `storage` error naming the operation, the bucket and the key.
public final class S3Client: Sendable {
  public let location: S3Location
  private let signer: SigV4
  private let http: EndpointClient
  /// Requests sent (each attempt counts), by method.
  private let sent = Locked([String: Int]())
  /// Attempts per request (1 = no retry).
  public let maxAttempts: Int
  private let retryBase: TimeInterval

  public init(
    location: S3Location, credentials: S3Credentials, limits: EndpointLimits = EndpointLimits(),
    maxAttempts: Int = 4, retryBase: TimeInterval = 0.2
  ) throws(StoreError) {
    self.location = location
    signer = SigV4(credentials: credentials, region: location.region)
    do { http = try EndpointClient(limits: limits) } catch {
      throw StoreError(kind: .storage, message: "S3 client: \(error.message)")
    }
    self.maxAttempts = max(1, maxAttempts)
    self.retryBase = retryBase
  }

  /// A signed request to `key` of the bucket (`nil`: the bucket itself). Returns the response of
  /// the last attempt; throws `storage` when no response came after every attempt.
  func send(
    _ method: String, key: String?, query: [(String, String)] = [],
    headers: [(name: String, value: String)] = [], body: Data? = nil, retrying: Bool = true
  ) throws(StoreError) -> EndpointResponse {
    let path = "/\(location.bucket)" + (key.map { "/\($0)" } ?? "")
    let payloadHash = SigV4.payloadHash(body ?? Data())
    let canonicalQuery = SigV4.canonicalQuery(query)
    let url =
      location.endpoint + SigV4.canonicalPath(path)
      + (canonicalQuery.isEmpty ? "" : "?\(canonicalQuery)")
    var attempt = 0
    while true {
      attempt += 1
      // Signed per attempt: a signature is valid for 15 minutes, a retry may come later.
      let signed = signer.sign(
        method: method, host: location.hostHeader, path: path, query: query, headers: headers,
        payloadHash: payloadHash, date: Date())
      let request = EndpointRequest(method: method, url: url, headers: headers + signed, body: body)
      sent.withLock { $0[method, default: 0] += 1 }
      do {
        let response = try http.perform(request)
        let transient = response.status >= 500 || response.status == 429
        if !transient || !retrying || attempt >= maxAttempts { return response }
      } catch {
        guard retrying, attempt < maxAttempts, error.kind != .internal, error.kind != .tooLarge
        else {
          throw StoreError(
            kind: .storage,
            message: "S3 \(method) \(describe(key)) failed: \(error.message)"
              + (attempt > 1 ? " (gave up after \(attempt) attempts)" : ""))
        }
      }
      let cap = min(5, retryBase * pow(2, Double(attempt - 1)))
      Thread.sleep(forTimeInterval: Double.random(in: cap / 2...cap))
    }
  }

  /// Requests sent to the endpoint so far (every attempt of a retried one), by HTTP method:
  /// what a run cost the bucket.
  public var requestCounts: [String: Int] { sent.withLock { $0 } }

  /// `s3://bucket/key` for messages.
  func describe(_ key: String?) -> String {
    "s3://\(location.bucket)" + (key.map { "/\($0)" } ?? "")
  }

  /// The error a non-success answer means: status, S3's code and message, bucket and key.
  func failure(_ operation: String, _ key: String?, _ response: EndpointResponse) -> StoreError {
    var text = "S3 \(operation) \(describe(key)) answered HTTP \(response.status)"
    if let code = Self.errorCode(response) { text += " \(code)" }
    let xml = String(decoding: response.body, as: UTF8.self)[...]
    if let message = S3XML.value("Message", in: xml), !message.isEmpty { text += ": \(message)" }
    switch Self.errorCode(response) {
    case "NoSuchBucket": text += " (create the bucket, or check --store)"
    case "InvalidAccessKeyId", "SignatureDoesNotMatch":
      text += " (check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, and --s3-region)"
    case "AccessDenied": text += " (the credentials may not use this bucket)"
    default: break
    }
    return StoreError(kind: .storage, message: text)
  }

  static func errorCode(_ response: EndpointResponse) -> String? {
    S3XML.value("Code", in: String(decoding: response.body, as: UTF8.self)[...])
  }

  // MARK: Objects

  /// Metadata of `key`, or `nil` when absent (404).
  public func head(_ key: String) throws(StoreError) -> ObjectInfo? {
    let response = try send("HEAD", key: key)
    if response.status == 404 { return nil }
    guard response.status == 200 else { throw failure("HEAD", key, response) }
    return ObjectInfo(key: key, headers: response.headers)
  }

  /// Bytes `range` of `key` (all of it when `nil`), or `nil` when absent.
  public func get(_ key: String, range: ClosedRange<Int>? = nil) throws(StoreError) -> Data? {
    var headers: [(name: String, value: String)] = []
    if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
    let response = try send("GET", key: key, headers: headers)
    if response.status == 404 { return nil }
    if response.status == 416 { return Data() }  // a range past the end
    guard response.status == 200 || response.status == 206 else {
      throw failure("GET", key, response)
    }
    return response.body
  }

  /// Stores `data` under `key`. With `checksum` (the SHA-256 of `data`), the server verifies the
  /// bytes and refuses a corrupted upload (`x-amz-checksum-sha256`). With `createOnly`, an
  /// existing object is kept and `false` returned (412 to `If-None-Match: *`).
  @discardableResult
  public func put(
    _ key: String, _ data: Data, checksum: [UInt8]? = nil, createOnly: Bool = false,
    contentType: String = "application/octet-stream"
  ) throws(StoreError) -> Bool {
    var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
    if let checksum {
      headers.append(("x-amz-checksum-sha256", Data(checksum).base64EncodedString()))
    }
    if createOnly { headers.append(("If-None-Match", "*")) }
    let response = try send("PUT", key: key, headers: headers, body: data)
    if createOnly, response.status == 412 { return false }
    guard response.status == 200 else { throw failure("PUT", key, response) }
    return true
  }

  /// Deletes `key` (absent is fine).
  public func delete(_ key: String) throws(StoreError) {
    let response = try send("DELETE", key: key)
    guard response.status == 204 || response.status == 200 || response.status == 404 else {
      throw failure("DELETE", key, response)
    }
  }

  /// Copies `source` onto `key`; onto itself, this refreshes its `Last-Modified`.
  public func copy(_ source: String, to key: String) throws(StoreError) {
    var headers: [(name: String, value: String)] = [
      ("x-amz-copy-source", SigV4.canonicalPath("/\(location.bucket)/\(source)"))
    ]
    if source == key { headers.append(("x-amz-metadata-directive", "REPLACE")) }
    let response = try send("PUT", key: key, headers: headers)
    guard response.status == 200,
      !String(decoding: response.body, as: UTF8.self).contains("<Error>")
    else { throw failure("COPY", key, response) }
  }

  /// Every object under `prefix` (ListObjectsV2, following continuation tokens).
  public func list(prefix: String, pageSize: Int = 1000) throws(StoreError) -> [ObjectInfo] {
    var objects: [ObjectInfo] = []
    var token: String?
    repeat {
      var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", "\(pageSize)")]
      if let token { query.append(("continuation-token", token)) }
      let response = try send("GET", key: nil, query: query)
      guard response.status == 200 else { throw failure("LIST", prefix, response) }
      let xml = String(decoding: response.body, as: UTF8.self)[...]
      for entry in S3XML.blocks("Contents", in: xml) {
        guard let key = S3XML.value("Key", in: entry) else { continue }
        objects.append(
          ObjectInfo(
            key: key, bytes: S3XML.value("Size", in: entry).flatMap { Int($0) } ?? 0,
            modified: S3XML.value("LastModified", in: entry).flatMap(ObjectInfo.isoDate)
              ?? .distantPast))
      }
      let truncated = S3XML.value("IsTruncated", in: xml) == "true"
      token = truncated ? S3XML.value("NextContinuationToken", in: xml) : nil
      if truncated, token == nil {
        throw StoreError(
          kind: .storage,
          message: "S3 LIST \(describe(prefix)): a truncated listing without a continuation token")
      }
    } while token != nil
    return objects
  }

  /// Creates the bucket (`PUT /BUCKET`); one that exists already and is ours is fine.
  public func createBucket() throws(StoreError) {
    let response = try send("PUT", key: nil)
    let code = Self.errorCode(response)
    guard response.status == 200 || code == "BucketAlreadyOwnedByYou" else {
      throw failure("CREATE BUCKET", nil, response)
    }
  }

  /// Checks that the bucket exists and the credentials may use it (a one-key listing).
  public func checkAccess() throws(StoreError) {
    let response = try send(
      "GET", key: nil, query: [("list-type", "2"), ("max-keys", "1"), ("prefix", location.prefix)])
    guard response.status == 200 else { throw failure("LIST", nil, response) }
  }
}

/// One object as HEAD or a listing describes it.
public struct ObjectInfo: Sendable, Hashable {
  public var key: String
  public var bytes: Int
  public var modified: Date

  public init(key: String, bytes: Int, modified: Date) {
    self.key = key
    self.bytes = bytes
    self.modified = modified
  }

  init(key: String, headers: [String: String]) {
    self.key = key
    bytes = headers["content-length"].flatMap { Int($0) } ?? 0
    modified = headers["last-modified"].flatMap(Self.httpDate) ?? .distantPast
  }

  static func isoDate(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
  }

  static func httpDate(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter.date(from: text)
  }
}
