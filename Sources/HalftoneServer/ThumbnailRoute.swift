import HalftoneSpec
import HalftoneStore
import Hummingbird

/// `GET|HEAD /thumbnails?url=U[&width=W&height=H][&format=F][&sig=S]`: the stored thumbnail of an
/// image reference, found the way `halftone prefetch` stored it.
///
/// The spec is read from `U` (its CDN dialect) with `width`/`height` as the declared size and
/// `format` forcing the output format. The original is looked up by the master URL first, then
/// by the URL as written (the prefetcher's order); the thumbnail by (original, spec key). When
/// the URL offers `auto=` formats, `Accept` chooses: each offered format the client accepts is
/// tried in the URL's order of preference (e.g. AVIF, then WebP), then the plain spec; such
/// answers carry `Vary: Accept`. On demand, a miss makes the most preferred accepted format.
struct ThumbnailRoute: Sendable {
  let cache: Cache
  let blobs: BlobResponder
  let signingKeys: SigningKeys
  let onDemand: OnDemandRenderer?
  let metrics: ServerMetrics
  let memo: LookupMemo

  func respond(to request: Request, includeBody: Bool) async throws(APIError) -> Response {
    let items = CanonicalQuery.items(Substring(request.uri.query ?? ""))
    try checkSignature(items)
    let query = try ThumbnailQuery(items: items)
    let spec = try query.spec()

    let offers = Self.offers(spec, accept: request.headers[.accept])
    let preferred = offers.first
    var extraHeaders: HTTPFields = [:]
    if !spec.autoFormats.isEmpty { extraHeaders[.vary] = "Accept" }

    let keys = (offers + [spec]).map(\.canonicalKey)
    let candidates = spec.sourceURLCandidates
    let cache = self.cache
    let lookup: @Sendable () throws -> VariantRecord? = {
      try Self.lookup(cache: cache, urls: candidates, keys: keys)
    }

    // A recent hit for exactly these URLs and keys skips the index.
    let memoKey = candidates.joined(separator: "\n") + "\n\n" + keys.joined(separator: "\n")
    if let remembered = memo.thumbnail(for: memoKey, now: .now) {
      if let response = try blobs.respond(
        digest: remembered, request: request, includeBody: includeBody,
        extraHeaders: extraHeaders)
      {
        metrics.recordThumbnailLookup(hit: true)
        return response
      }
      memo.forget(memoKey)  // its blob is gone: ask the index again
    }

    let found: VariantRecord?
    do { found = try lookup() } catch { throw APIError.stage(error) }
    metrics.recordThumbnailLookup(hit: found != nil)
    if let found,
      let response = try blobs.respond(
        digest: found.thumbnail, request: request, includeBody: includeBody,
        extraHeaders: extraHeaders)
    {
      memo.remember(found.thumbnail, for: memoKey, now: .now)
      return response
    }

    guard let onDemand else {
      var error = APIError.notFound(
        "no thumbnail of \(query.url) for this spec in the cache (spec key \(keys.last ?? "")); "
          + "run `halftone prefetch` on its record, or start the server with --on-demand")
      error.headers = extraHeaders
      throw error
    }
    let target = preferred ?? spec
    let variant = try await onDemand.thumbnail(for: target) {
      try Self.lookup(cache: cache, urls: candidates, keys: [target.canonicalKey])
    }
    guard
      let response = try blobs.respond(
        digest: variant.thumbnail, request: request, includeBody: includeBody,
        extraHeaders: extraHeaders)
    else {
      throw APIError(
        .internalServerError, kind: "storage",
        message: "thumbnail \(variant.thumbnail.hex) vanished right after it was stored")
    }
    return response
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

  /// The first stored thumbnail: for each candidate URL's original, each key in order.
  static func lookup(cache: Cache, urls: [String], keys: [String]) throws -> VariantRecord? {
    for url in urls {
      guard let source = try cache.source(forURL: url) else { continue }
      for key in keys {
        if let variant = try cache.variant(original: source.original, specKey: key) {
          return variant
        }
      }
    }
    return nil
  }
}
