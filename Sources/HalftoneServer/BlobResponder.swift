import Foundation
import HalftoneCore
import HalftoneStore
import Hummingbird
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Answers for one immutable blob: `/blobs/{sha256}` and the hits of `/thumbnails`.
///
/// Headers: `Content-Type` from the bytes' magic (never from a name), `ETag: "<sha256>"`,
/// `Cache-Control: public, max-age=31536000, immutable` (the name is the content's hash, so it
/// can never change), `Accept-Ranges: bytes`, `X-Content-Type-Options: nosniff`.
/// Conditional and partial requests: `If-None-Match` → 304; one `Range` → 206 (`If-Range` with
/// another ETag → the whole blob), a range past the end → 416 with `Content-Range: bytes */len`,
/// several ranges → the whole blob with 200.
struct BlobResponder: Sendable {
  let cache: Cache
  let chunkBytes: Int
  let accesses: AccessRecorder
  let hot: HotBlobs
  /// Threads for what is not in `hot`: opening and reading a blob may wait for a disk or a
  /// bucket, which must not happen on the cooperative pool or an event loop.
  let reads: WorkLimiter

  static let cacheControl = "public, max-age=31536000, immutable"

  /// The response for `digest`, or `nil` when the blob is not in the store.
  /// `extraHeaders` are added to every answer (e.g. `Vary: Accept`).
  func respond(
    digest: Digest, request: Request, includeBody: Bool, extraHeaders: HTTPFields = [:]
  ) async throws(APIError) -> Response? {
    if let entry = hot.entry(digest, now: .now) {
      accesses.record(digest)
      return respond(
        from: entry, request: request.headers, includeBody: includeBody, extra: extraHeaders)
    }
    let fields = request.headers
    let result: Result<Response?, StoreError>
    do {
      result = try await reads.runBlocking { [self] in
        Result { () throws(StoreError) in
          try respondFromStore(
            digest: digest, request: fields, includeBody: includeBody, extra: extraHeaders)
        }
      }
    } catch {
      throw APIError(
        .serviceUnavailable, kind: "internal", message: "blob read abandoned: \(error)")
    }
    switch result {
    case .success(let response): return response
    case .failure(let error):
      throw APIError(.internalServerError, kind: error.kind.rawValue, message: error.message)
    }
  }

  /// The answer from the store (a read thread): `nil` when the blob is absent.
  private func respondFromStore(
    digest: Digest, request: HTTPFields, includeBody: Bool, extra: HTTPFields
  ) throws(StoreError) -> Response? {
    var headers = Self.immutableHeaders(digest)
    for field in extra { headers[field.name] = field.value }
    guard let blob = try cache.backend.open(digest) else { return nil }
    defer { blob.close() }
    accesses.record(digest)
    if hot.accepts(size: blob.size) {
      // Small (the usual thumbnail): one read, then kept in memory for the next requests.
      let bytes = try blob.buffer(at: 0, count: blob.size)
      let entry = Self.entry(digest, bytes: bytes)
      hot.insert(digest, entry)
      return respond(from: entry, request: request, includeBody: includeBody, extra: extra)
    }
    if Self.matches(ifNoneMatch: request[.ifNoneMatch], etag: headers[.eTag] ?? "") {
      return Self.notModified(headers)
    }
    return try body(
      of: blob, digest: digest, request: request, includeBody: includeBody, headers: headers)
  }

  /// `ETag`, `Cache-Control`, `X-Content-Type-Options`, `Accept-Ranges`.
  static func immutableHeaders(_ digest: Digest) -> HTTPFields {
    var headers: HTTPFields = [:]
    headers[.eTag] = "\"" + digest.hex + "\""
    headers[.cacheControl] = cacheControl
    headers[.xContentTypeOptions] = "nosniff"
    headers[.acceptRanges] = "bytes"
    return headers
  }

  /// A memory entry: the bytes and the headers of their full answer.
  static func entry(_ digest: Digest, bytes: ByteBuffer) -> HotBlobs.Entry {
    var headers = immutableHeaders(digest)
    headers[.contentType] = mediaType(of: bytes)
    headers[.contentLength] = String(bytes.readableBytes)
    return HotBlobs.Entry(
      bytes: bytes, headers: headers, wireHeaders: HTTPHeaders(headers), loaded: .now)
  }

  /// An answer from memory: 200, 206, 304 or 416, sharing the entry's buffer.
  private func respond(
    from entry: HotBlobs.Entry, request: HTTPFields, includeBody: Bool, extra: HTTPFields
  ) -> Response {
    HotBlobAnswer(
      entry: entry, ifNoneMatch: request[.ifNoneMatch], range: request[.range],
      ifRange: request[.ifRange], includeBody: includeBody, extra: extra
    ).response
  }

  private func body(
    of blob: any BlobReader, digest: Digest, request: HTTPFields, includeBody: Bool,
    headers: HTTPFields
  ) throws(StoreError) -> Response {
    var headers = headers
    let etag = headers[.eTag] ?? ""
    let size = blob.size
    var range = RangeRequest(header: request[.range], length: size)
    if let ifRange = request[.ifRange], ifRange.trimmingSpaces != etag {
      range = .whole  // the client's partial copy is of something else
    }
    switch range {
    case .unsatisfiable:
      headers[.contentRange] = "bytes */\(size)"
      headers[.contentLength] = "0"
      return Response(status: .rangeNotSatisfiable, headers: headers)
    case .partial(let bytes):
      headers[.contentType] = Self.mediaType(of: try blob.buffer(at: 0, count: min(32, size)))
      headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)"
      return try respond(
        .partialContent, blob: blob, digest: digest, offset: bytes.lowerBound, count: bytes.count,
        includeBody: includeBody, headers: headers)
    case .whole:
      if includeBody, size <= chunkBytes {
        // Too big to keep in memory, small enough for one read: one pread, one buffer.
        let buffer = try blob.buffer(at: 0, count: size)
        headers[.contentType] = Self.mediaType(of: buffer)
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
      }
      headers[.contentType] = Self.mediaType(of: try blob.buffer(at: 0, count: min(32, size)))
      return try respond(
        .ok, blob: blob, digest: digest, offset: 0, count: size, includeBody: includeBody,
        headers: headers)
    }
  }

  /// A body of `count` bytes at `offset`: read at once when small, streamed in chunks otherwise
  /// (the stream reopens the blob, so nothing stays open if the body is never written).
  private func respond(
    _ status: HTTPResponse.Status, blob: any BlobReader, digest: Digest, offset: Int, count: Int,
    includeBody: Bool, headers: HTTPFields
  ) throws(StoreError) -> Response {
    var headers = headers
    headers[.contentLength] = String(count)
    guard includeBody, count > 0 else { return Response(status: status, headers: headers) }
    if count <= chunkBytes {
      let buffer = try blob.buffer(at: offset, count: count)
      return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
    let backend = cache.backend
    let chunk = chunkBytes
    let reads = self.reads
    let body = ResponseBody(contentLength: count) { writer in
      guard let stream = try await reads.runBlocking({ try backend.open(digest) }) else {
        throw StoreError(kind: .storage, message: "blob \(digest.hex) was removed while served")
      }
      defer { stream.close() }
      var position = offset
      let end = offset + count
      while position < end {
        let length = min(chunk, end - position)
        let at = position
        try await writer.write(
          try await reads.runBlocking { try stream.buffer(at: at, count: length) })
        position += length
      }
      try await writer.finish(nil)
    }
    return Response(status: status, headers: headers, body: body)
  }

  /// 304 with the validators and caching headers, and no `Content-Length` (a 304 has no body,
  /// and `Content-Length: 0` would misstate the representation's length).
  static func notModified(_ headers: HTTPFields) -> Response {
    var response = Response(status: .notModified, headers: headers)
    response.headers[.contentLength] = nil
    return response
  }

  /// Content-Type from the first bytes; `application/octet-stream` when they are no known image.
  static func mediaType(of buffer: ByteBuffer) -> String {
    buffer.withUnsafeReadableBytes { bytes in
      ImageFormat.sniff(bytes)?.mediaType ?? "application/octet-stream"
    }
  }

  /// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 §13.1.2 asks) or is `*`.
  static func matches(ifNoneMatch header: String?, etag: String) -> Bool {
    guard let header else { return false }
    for candidate in header.split(separator: ",") {
      var tag = candidate.trimmingSpaces
      if tag == "*" { return true }
      if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
      if tag == etag { return true }
    }
    return false
  }
}
