import Foundation
import Halftone
import HalftoneSpec
import HalftoneStore
import Hummingbird

/// `GET /images?url=U[&width=W&height=H]`: what the cache knows about an image reference, as JSON
/// (`ImageDescription`, the shape `halftone lookup --json` prints): every candidate URL in the
/// resolver's order with its last status, its original and every thumbnail made from it, and
/// the thumbnail the resolver answers for the reference's spec key. 404 when the cache knows no
/// candidate.
struct ImagesRoute: Sendable {
  let pipeline: ImagePipeline

  func respond(to request: Request, includeBody: Bool) async throws(APIError) -> Response {
    let items = CanonicalQuery.items(Substring(request.uri.query ?? ""))
    for item in items where !Self.parameters.contains(item.name) {
      throw .badRequest(
        .invalidSpec,
        "unknown parameter '\(item.name.prefix(64))': /images reads url, width and height")
    }
    let urls = items.filter { $0.name == "url" }
    guard urls.count == 1, let url = urls.first?.value, !url.isEmpty else {
      throw .badRequest(
        .invalidURL,
        urls.count > 1 ? "url is given more than once" : "missing url: /images?url=<image URL>")
    }
    let spec: ThumbnailSpec
    do {
      spec = try pipeline.spec(
        url: url, declaredWidth: try Self.dimension("width", items),
        declaredHeight: try Self.dimension("height", items))
    } catch let error as APIError {
      throw error
    } catch {
      throw APIError.stage(error)
    }
    let description: ImageDescription
    do { description = try await pipeline.describe(spec) } catch { throw APIError.stage(error) }
    guard description.isKnown else {
      throw .notFound("the cache knows nothing about \(url)")
    }
    let data: Data
    do {
      data = try HalftoneJSON.encoder().encode(description)
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

  static let parameters: Set<String> = ["url", "width", "height"]

  /// `width` or `height`, once, as a whole number; `nil` when absent.
  static func dimension(_ name: String, _ items: [QueryItem]) throws(APIError) -> Int? {
    let values = items.filter { $0.name == name }
    guard let value = values.first?.value else { return nil }
    guard values.count == 1, let number = Int(value) else {
      throw .badRequest(.invalidSpec, "\(name) must be given once, as a whole number")
    }
    return number
  }
}
