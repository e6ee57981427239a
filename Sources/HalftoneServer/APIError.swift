import Foundation
import HalftoneCore
import HalftoneFetch
import Hummingbird

/// An error answered to an HTTP client: a status and the JSON body
/// `{"error":{"kind":"…","message":"…"}}`.
///
/// `kind` is an `ErrorKind` raw value when a stage failed (`invalid_spec`, `http_status`,
/// `timeout`…) or one of the server's own kinds: `not_found`, `invalid_digest`, `forbidden`,
/// `overloaded`, `deadline`, `method_not_allowed`, `uri_too_long`, `bad_request`.
struct APIError: Error, Sendable {
  var status: HTTPResponse.Status
  var kind: String
  var message: String
  /// Extra headers (`Retry-After`, `Allow`).
  var headers: HTTPFields = [:]

  init(_ status: HTTPResponse.Status, kind: String, message: String, headers: HTTPFields = [:]) {
    self.status = status
    self.kind = kind
    self.message = message
    self.headers = headers
  }

  static func notFound(_ message: String) -> APIError {
    APIError(.notFound, kind: "not_found", message: message)
  }

  static func badRequest(_ kind: ErrorKind, _ message: String) -> APIError {
    APIError(.badRequest, kind: kind.rawValue, message: message)
  }

  /// A failure of a pipeline stage, with the status that tells a client (or a CDN in front)
  /// what to do: fix the request (4xx), retry later (502, 503, 504), or report a bug (500).
  static func stage(_ error: any Error) -> APIError {
    guard let known = error as? any HalftoneError else {
      return APIError(.internalServerError, kind: ErrorKind.internal.rawValue, message: "\(error)")
    }
    let status: HTTPResponse.Status
    switch known.kind {
    case .invalidURL, .unsupportedScheme, .invalidSpec, .invalidRecord, .cropOutOfBounds:
      status = .badRequest
    case .blockedAddress:
      status = .forbidden
    case .httpStatus:
      // The origin says the image is gone: so is the thumbnail. Other statuses are the
      // origin's trouble.
      let origin = (known as? FetchError)?.httpStatus ?? 0
      status = origin == 404 || origin == 410 ? .notFound : .badGateway
    case .dns, .connect, .network, .tooManyRedirects, .redirectRefused, .tooLarge,
      .archiveUnavailable, .archiveMismatch:
      status = .badGateway
    case .notArchived:
      status = .notFound
    case .timeout:
      status = .gatewayTimeout
    case .notAnImage, .corruptImage, .unsupportedFormat, .tooManyPixels:
      status = .unprocessableContent
    case .imaging, .storage, .indexCorrupt, .indexTooNew, .internal:
      status = .internalServerError
    }
    return APIError(status, kind: known.kind.rawValue, message: known.message)
  }

  /// The response; `includeBody` is false for HEAD (the headers still describe the body).
  func response(includeBody: Bool = true) -> Response {
    let body = self.body
    return Response(
      status: status, headers: fields(bodyBytes: body.readableBytes),
      body: includeBody ? ResponseBody(byteBuffer: body) : .init())
  }

  /// `{"error":{"kind":"…","message":"…"}}` and a newline.
  var body: ByteBuffer {
    var body = ByteBuffer()
    body.writeString(#"{"error":{"kind":"#)
    body.writeString(JSONText.quoted(kind))
    body.writeString(#","message":"#)
    body.writeString(JSONText.quoted(message))
    body.writeString("}}\n")
    return body
  }

  /// `headers` with those of a JSON error body of `bodyBytes` bytes.
  func fields(bodyBytes: Int) -> HTTPFields {
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    fields[.cacheControl] = "no-store"
    fields[.xContentTypeOptions] = "nosniff"
    fields[.contentLength] = String(bodyBytes)
    return fields
  }
}

/// JSON string literals without a round trip through `JSONEncoder` (error bodies are built on
/// paths that must stay cheap).
enum JSONText {
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
