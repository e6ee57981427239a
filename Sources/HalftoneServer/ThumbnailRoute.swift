import Foundation
import HTTPTypes
import Halftone
import HalftoneSpec
import HalftoneStore
import Hummingbird
import NIOCore

/// `GET|HEAD /thumbnails?url=U[&width=W&height=H][&format=F][&sig=S]`: the stored thumbnail of an
/// image reference, as the resolver (`ImagePipeline`) finds it for prefetch and `lookup` too.
///
/// The spec is read from `U` (its CDN dialect) with `width`/`height` as the declared size and
/// `format` forcing the output format; `ImagePipeline.cachedThumbnail` applies the lookup rules
/// (candidate URLs in `SourceCandidate` order, then the spec keys in order). When
/// the URL offers `auto=` formats, `Accept` chooses: each offered format the client accepts is
/// tried in the URL's order of preference (e.g. AVIF, then WebP), then the plain spec; such
/// answers carry `Vary: Accept`. On demand, a miss makes the most preferred accepted format.
///
/// Every answer names where its original's bytes came from: `X-Halftone-Source: origin|archive`
/// and `X-Halftone-Original-URL` (the URL they are stored under); from an archive also
/// `X-Halftone-Archive-URL` (the replay) and `X-Halftone-Captured-At` (RFC 3339).
struct ThumbnailRoute: Sendable {
  let pipeline: ImagePipeline
  let blobs: BlobResponder
  let signingKeys: SigningKeys
  let onDemand: OnDemandRenderer?
  let metrics: ServerMetrics
  let memo: LookupMemo

  func respond(
    to request: Request, channel: (any Channel)?, includeBody: Bool
  ) async throws(APIError) -> Response {
    let items = CanonicalQuery.items(Substring(request.uri.query ?? ""))
    try checkSignature(items)
    let query = try ThumbnailQuery(items: items)
    let spec = try query.spec(rules: pipeline.options.urlRules)

    let offers = Self.offers(spec, accept: request.headers[.accept])
    let preferred = offers.first
    var extraHeaders: HTTPFields = [:]
    if !spec.autoFormats.isEmpty { extraHeaders[.vary] = "Accept" }

    let keys = (offers + [spec]).map(\.canonicalKey)
    // A recent hit for exactly these candidates and keys skips the index.
    let memoKey =
      pipeline.candidates(for: spec).map(\.url).joined(separator: "\n") + "\n\n"
      + keys.joined(separator: "\n")
    if let remembered = memo.thumbnail(for: memoKey, now: .now) {
      if let response = try await blobs.respond(
        digest: remembered.thumbnail.thumbnail, request: request, includeBody: includeBody,
        extraHeaders: extraHeaders.withProvenance(of: remembered))
      {
        metrics.recordThumbnailLookup(hit: true)
        return response
      }
      memo.forget(memoKey)  // its blob is gone: ask the index again
    }

    let found: ResolvedThumbnail?
    do { found = try await pipeline.cachedThumbnail(for: spec, keys: keys) } catch {
      throw APIError.stage(error)
    }
    metrics.recordThumbnailLookup(hit: found != nil)
    if let found,
      let response = try await blobs.respond(
        digest: found.thumbnail.thumbnail, request: request, includeBody: includeBody,
        extraHeaders: extraHeaders.withProvenance(of: found))
    {
      memo.remember(found, for: memoKey, now: .now)
      return response
    }

    guard let onDemand else {
      var error = APIError.notFound(
        "no thumbnail of \(query.url) for this spec in the cache (spec key \(keys.last ?? "")); "
          + "run `halftone prefetch` on its record, or start the server with --on-demand")
      error.headers = extraHeaders
      throw error
    }
    var connection: ConnectionEnd?
    if let channel { connection = await ConnectionEnd.of(channel) }
    let made = try await Self.waitForClient(connection) {
      try await onDemand.thumbnail(for: preferred ?? spec)
    }
    guard
      let response = try await blobs.respond(
        digest: made.thumbnail.thumbnail, request: request, includeBody: includeBody,
        extraHeaders: extraHeaders.withProvenance(of: made))
    else {
      throw APIError(
        .internalServerError, kind: "storage",
        message: "thumbnail \(made.thumbnail.thumbnail.hex) vanished right after it was stored")
    }
    return response
  }

  /// Runs `work` in a task of its own that is cancelled as soon as the client's connection ends
  /// (it hung up, or closed its side), so an on-demand job nobody waits for stops.
  static func waitForClient<T: Sendable>(
    _ connection: ConnectionEnd?, _ work: @escaping @Sendable () async throws -> T
  ) async throws(APIError) -> T {
    let task = Task { try await work() }
    connection?.onEnd { task.cancel() }
    do {
      return try await withTaskCancellationHandler {
        try await task.value
      } onCancel: {
        task.cancel()
      }
    } catch let error as APIError {
      throw error
    } catch is CancellationError {
      throw APIError(
        HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request"),
        kind: "client_closed", message: "the client closed the connection before the answer")
    } catch {
      throw APIError.stage(error)
    }
  }

  /// The URL's auto formats that the client accepts, best first, each as its own spec (none when
  /// the URL offers no choice).
  static func offers(_ spec: ThumbnailSpec, accept: String?) -> [ThumbnailSpec] {
    guard !spec.autoFormats.isEmpty else { return [] }
    let accepted = OutputFormat.accepted(byAcceptHeader: accept ?? "")
    return spec.autoFormats.filter(accepted.contains).map { spec.negotiated(accepting: [$0]) }
  }

  /// When keys are configured every request must carry exactly one valid `sig`.
  private func checkSignature(_ items: [QueryItem]) throws(APIError) {
    guard !signingKeys.isEmpty else { return }
    let signatures = items.filter { $0.name == "sig" }
    guard signatures.count == 1, let signature = signatures.first?.value else {
      throw APIError(
        .forbidden, kind: "forbidden",
        message: signatures.isEmpty
          ? "this server requires signed /thumbnails URLs: add sig (see `halftone sign`)"
          : "sig is given more than once")
    }
    guard
      signingKeys.verify(signature: signature, canonicalQuery: CanonicalQuery.canonical(items))
    else {
      throw APIError(
        .forbidden, kind: "forbidden",
        message: "sig does not match this URL under any configured key "
          + "(sign the exact parameters with `halftone sign`)")
    }
  }
}

extension HTTPFields {
  /// These fields plus the provenance of `answer`'s original. A URL longer than
  /// `ProvenanceField.maxURLBytes` is left out (a proxy in front may refuse long headers; the
  /// full value is in `/images`).
  func withProvenance(of answer: ResolvedThumbnail) -> HTTPFields {
    var fields = self
    let original = answer.original
    fields[ProvenanceField.source] = original.archive == nil ? "origin" : "archive"
    if original.url.utf8.count <= ProvenanceField.maxURLBytes {
      fields[ProvenanceField.originalURL] = original.url
    }
    if let archive = original.archive {
      if archive.archiveURL.utf8.count <= ProvenanceField.maxURLBytes {
        fields[ProvenanceField.archiveURL] = archive.archiveURL
      }
      // A format style, not an ISO8601DateFormatter: that costs an allocation per request.
      fields[ProvenanceField.capturedAt] = archive.capturedAt.formatted(.iso8601)
    }
    return fields
  }
}

/// The response fields that name an original's provenance.
enum ProvenanceField {
  static let source = HTTPField.Name("X-Halftone-Source")!
  static let originalURL = HTTPField.Name("X-Halftone-Original-URL")!
  static let archiveURL = HTTPField.Name("X-Halftone-Archive-URL")!
  static let capturedAt = HTTPField.Name("X-Halftone-Captured-At")!
  static let maxURLBytes = 2048
}
