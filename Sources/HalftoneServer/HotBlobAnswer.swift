import Hummingbird

/// The answer to a request for a blob held in `HotBlobs`: 200, 206, 304 or 416.
///
/// One function decides it for both ways a hot blob is served, `BlobResponder` (through
/// Hummingbird) and `HotBlobChannelHandler` (on the event loop), so the two cannot drift apart.
struct HotBlobAnswer {
  var status: HTTPResponse.Status
  var headers: HTTPFields
  /// The body to send; `nil` sends none (HEAD, 304, 416). An empty buffer is still sent as a
  /// (zero-length) body part, as Hummingbird does for `ResponseBody(byteBuffer:)`.
  var body: ByteBuffer?

  /// - Parameters:
  ///   - ifNoneMatch, range, ifRange: the request's fields of those names.
  ///   - extra: added to every answer (e.g. `Vary: Accept`).
  init(
    entry: HotBlobs.Entry, ifNoneMatch: String?, range rangeHeader: String?, ifRange: String?,
    includeBody: Bool, extra: HTTPFields = [:]
  ) {
    var headers = entry.headers
    for field in extra { headers[field.name] = field.value }
    let etag = headers[.eTag] ?? ""
    if BlobResponder.matches(ifNoneMatch: ifNoneMatch, etag: etag) {
      // No Content-Length: a 304 has no body, and `Content-Length: 0` would misstate the
      // representation's length.
      headers[.contentLength] = nil
      self.init(status: .notModified, headers: headers, body: nil)
      return
    }
    let size = entry.bytes.readableBytes
    var range = RangeRequest(header: rangeHeader, length: size)
    if let ifRange, ifRange.trimmingSpaces != etag { range = .whole }
    switch range {
    case .whole:
      self.init(status: .ok, headers: headers, body: includeBody ? entry.bytes : nil)
    case .unsatisfiable:
      headers[.contentRange] = "bytes */\(size)"
      headers[.contentLength] = "0"
      headers[.contentType] = nil
      self.init(status: .rangeNotSatisfiable, headers: headers, body: nil)
    case .partial(let bytes):
      headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)"
      headers[.contentLength] = String(bytes.count)
      let slice = entry.bytes.getSlice(
        at: entry.bytes.readerIndex + bytes.lowerBound, length: bytes.count)
      self.init(
        status: .partialContent, headers: headers,
        body: includeBody ? (slice ?? ByteBuffer()) : nil)
    }
  }

  private init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer?) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// As a Hummingbird response.
  var response: Response {
    var response = Response(
      status: status, body: body.map { ResponseBody(byteBuffer: $0) } ?? .init())
    // Exactly these headers: `Response.init` would add `Content-Length: 0` to the 304.
    response.headers = headers
    return response
  }
}
