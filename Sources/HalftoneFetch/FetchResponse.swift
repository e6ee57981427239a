import Foundation
import HalftoneCore

/// A successful fetch: an image body (sniffed from its bytes), a document
/// (`FetchRequest.Body.document`), or `notModified` for a 304.
public struct FetchResponse: Sendable, Hashable {
  /// The final HTTP status (2xx, or 304).
  public var status: Int
  /// The body, decoded if the server compressed it anyway; empty for 304. For a fetch that
  /// streamed its body to a sink (`Fetcher.fetch(_:streamingBodyTo:)`), only the first 256 KiB:
  /// enough to sniff the format and read the image's header.
  public var body: Data
  /// Bytes of the whole body (more than `body.count` when it went to a sink).
  public var bodyBytes: Int
  /// The URL the body came from, after redirects.
  public var effectiveURL: String
  public var etag: String?
  public var lastModified: String?
  /// As the server declared it; never trusted for the format (see `format`).
  public var contentType: String?
  /// The server answered 304 to a conditional request: the copy we hold is current.
  public var notModified: Bool
  /// The image format recognised from the body's magic bytes; `nil` for 304 and for a document
  /// that is no image.
  public var format: ImageFormat?
  /// Attempts made, the successful one included (1 when no retry was needed).
  public var attempts: Int
  /// The final response's headers, names lowercased (repeated fields joined with ", ").
  public var headers: [String: String]

  public init(
    status: Int, body: Data, bodyBytes: Int? = nil, effectiveURL: String, etag: String? = nil,
    lastModified: String? = nil, contentType: String? = nil, notModified: Bool = false,
    format: ImageFormat?, attempts: Int = 1, headers: [String: String] = [:]
  ) {
    self.status = status
    self.body = body
    self.bodyBytes = bodyBytes ?? body.count
    self.effectiveURL = effectiveURL
    self.etag = etag
    self.lastModified = lastModified
    self.contentType = contentType
    self.notModified = notModified
    self.format = format
    self.attempts = attempts
    self.headers = headers
  }
}
