import Foundation
import HalftoneSpec
import HalftoneStore
import Hummingbird

/// `GET /images?url=U`: what the cache knows about an image reference, as JSON: the original
/// stored for `U` and for its master URL (digest, size, format, validators, fetched at, last
/// failure) and every thumbnail made from each. 404 when the cache knows neither URL.
struct ImagesRoute: Sendable {
  let cache: Cache

  func respond(to request: Request, includeBody: Bool) throws(APIError) -> Response {
    let items = CanonicalQuery.items(Substring(request.uri.query ?? ""))
    for item in items where item.name != "url" {
      throw .badRequest(
        .invalidSpec, "unknown parameter '\(item.name.prefix(64))': /images reads url")
    }
    let urls = items.filter { $0.name == "url" }
    guard urls.count == 1, let url = urls.first?.value, !url.isEmpty else {
      throw .badRequest(
        .invalidURL,
        urls.count > 1 ? "url is given more than once" : "missing url: /images?url=<image URL>")
    }
    var candidates = [url]
    if let master = try? ThumbnailSpec.parse(url: url).masterURL, !master.isEmpty, master != url {
      candidates.append(master)
    }
    var sources: [ImageSourceInfo] = []
    do {
      for candidate in candidates {
        guard let status = try cache.sourceStatus(forURL: candidate) else { continue }
        let original = try cache.source(forURL: candidate)
        let thumbnails = try original.map { try cache.variants(original: $0.original) } ?? []
        sources.append(ImageSourceInfo(status: status, original: original, thumbnails: thumbnails))
      }
    } catch {
      throw APIError.stage(error)
    }
    guard !sources.isEmpty else {
      throw .notFound("the cache knows nothing about \(url)")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    let data: Data
    do {
      data = try encoder.encode(ImageInfo(url: url, sources: sources))
    } catch {
      throw APIError(.internalServerError, kind: "internal", message: "\(error)")
    }
    var headers: HTTPFields = [:]
    headers[.contentType] = "application/json; charset=utf-8"
    headers[.cacheControl] = "no-cache"
    headers[.xContentTypeOptions] = "nosniff"
    headers[.contentLength] = String(data.count + 1)
    var buffer = ByteBuffer(bytes: data)
    buffer.writeString("\n")
    return Response(
      status: .ok, headers: headers, body: includeBody ? ResponseBody(byteBuffer: buffer) : .init())
  }
}

/// The `/images` answer.
struct ImageInfo: Encodable {
  var url: String
  var sources: [ImageSourceInfo]
}

/// One URL the cache knows: its original (if one is stored) and its thumbnails.
struct ImageSourceInfo: Encodable {
  var url: String
  var original: OriginalInfo?
  var lastStatus: String
  var lastErrorKind: String?
  var lastError: String?
  var lastAttemptAt: Date
  var thumbnails: [ThumbnailInfo]

  init(status: SourceStatus, original: SourceRecord?, thumbnails: [VariantRecord]) {
    url = status.url
    self.original = original.map(OriginalInfo.init)
    lastStatus = status.lastStatus.rawValue
    lastErrorKind = status.lastErrorKind?.rawValue
    lastError = status.lastError
    lastAttemptAt = status.lastAttemptAt
    self.thumbnails = thumbnails.map(ThumbnailInfo.init)
  }

  enum CodingKeys: String, CodingKey {
    case url, original, thumbnails
    case lastStatus = "last_status"
    case lastErrorKind = "last_error_kind"
    case lastError = "last_error"
    case lastAttemptAt = "last_attempt_at"
  }
}

struct OriginalInfo: Encodable {
  var digest: String
  var href: String
  var bytes: Int
  var format: String?
  var width: Int?
  var height: Int?
  var contentType: String?
  var etag: String?
  var lastModified: String?
  var fetchedAt: Date

  init(_ record: SourceRecord) {
    digest = record.original.hex
    href = "/blobs/\(record.original.hex)"
    bytes = record.bytes
    format = record.format?.rawValue
    width = record.width
    height = record.height
    contentType = record.contentType
    etag = record.etag
    lastModified = record.lastModified
    fetchedAt = record.fetchedAt
  }

  enum CodingKeys: String, CodingKey {
    case digest, href, bytes, format, width, height, etag
    case contentType = "content_type"
    case lastModified = "last_modified"
    case fetchedAt = "fetched_at"
  }
}

struct ThumbnailInfo: Encodable {
  var specKey: String
  var digest: String
  var href: String
  var width: Int
  var height: Int
  var format: String
  var bytes: Int
  var createdAt: Date

  init(_ record: VariantRecord) {
    specKey = record.specKey
    digest = record.thumbnail.hex
    href = "/blobs/\(record.thumbnail.hex)"
    width = record.width
    height = record.height
    format = record.format.rawValue
    bytes = record.bytes
    createdAt = record.createdAt
  }

  enum CodingKeys: String, CodingKey {
    case digest, href, width, height, format, bytes
    case specKey = "spec_key"
    case createdAt = "created_at"
  }
}
