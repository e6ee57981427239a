import Hummingbird
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// `HotBlobAnswer` in NIO's HTTP/1 types, exactly as Hummingbird's codec would convert it.
///
/// The usual request (no `If-None-Match`, no `Range`) gets the entry's full answer, whose
/// headers were converted once when the blob was loaded; the others go through `HotBlobAnswer`.
struct HotBlobWireAnswer {
  var status: HTTPResponseStatus
  var headers: HTTPHeaders
  /// `nil` sends no body; see `HotBlobAnswer.body`.
  var body: ByteBuffer?

  /// Body bytes sent, as the metrics count them.
  var bodyBytes: Int { body?.readableBytes ?? 0 }

  init(entry: HotBlobs.Entry, request: HTTPHeaders, includeBody: Bool) {
    let ifNoneMatch = HotBlobFastPath.combined(request, .ifNoneMatch)
    let range = HotBlobFastPath.combined(request, .range)
    guard ifNoneMatch != nil || range != nil else {
      // What `HotBlobAnswer` answers without either (`If-Range` alone changes nothing).
      status = Self.wire(.ok)
      headers = entry.wireHeaders
      body = includeBody ? entry.bytes : nil
      return
    }
    let answer = HotBlobAnswer(
      entry: entry, ifNoneMatch: ifNoneMatch, range: range,
      ifRange: HotBlobFastPath.combined(request, .ifRange), includeBody: includeBody)
    status = Self.wire(answer.status)
    headers = HTTPHeaders(answer.headers)
    body = answer.body
  }

  /// The status as `HTTP1ToHTTPServerCodec` converts it.
  static func wire(_ status: HTTPResponse.Status) -> HTTPResponseStatus {
    HTTPResponseStatus(statusCode: status.code, reasonPhrase: status.reasonPhrase)
  }
}
