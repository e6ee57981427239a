import Foundation

@testable import HalftoneServer

/// What the server reads from a client before any lookup: the `/thumbnails` query with its
/// signature, and the `Range` / `If-None-Match` headers of a blob request.
enum ServerTargets {
  static let keys: SigningKeys = {
    do {
      return try SigningKeys(keys: [Data("fuzz-signing-key-0123456789".utf8)])
    } catch {
      fatalError("the fuzz key is invalid: \(error)")
    }
  }()

  /// A query's canonical form is a fixed point (reading it again gives it again), so a URL that
  /// was signed verifies however it is re-encoded; a signature of any other text never verifies.
  static func signedQuery(_ data: Data) {
    let text = String(decoding: data, as: UTF8.self)
    let items = CanonicalQuery.items(Substring(text))
    let canonical = CanonicalQuery.canonical(items)
    invariant(
      CanonicalQuery.canonical(CanonicalQuery.items(Substring(canonical))) == canonical,
      "canonical form of \(text.debugDescription) is not a fixed point: \(canonical)")
    guard let signature = keys.signature(forCanonicalQuery: canonical) else {
      fatalError("no signature with a key configured")
    }
    invariant(keys.verify(signature: signature, canonicalQuery: canonical), "own signature refused")
    invariant(
      !keys.verify(signature: signature, canonicalQuery: canonical + "&x=1"),
      "a signature verified another query")
    for item in items where item.name == "sig" {
      _ = keys.verify(signature: item.value, canonicalQuery: canonical)
    }
  }

  /// The first two bytes give the representation's length; then `Range` and `If-None-Match`
  /// headers separated by a newline. A partial answer must lie inside the representation.
  static func headers(_ data: Data) {
    guard data.count >= 2 else { return }
    let length = Int(data[data.startIndex]) << 8 | Int(data[data.startIndex + 1])
    let text = String(decoding: data.dropFirst(2), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let range = String(parts[0])
    switch RangeRequest(header: range, length: length) {
    case .partial(let bytes):
      invariant(
        bytes.lowerBound >= 0 && bytes.upperBound < length,
        "range \(bytes) outside \(length) bytes for \(range.debugDescription)")
    case .whole, .unsatisfiable:
      break
    }
    if parts.count > 1 {
      _ = BlobResponder.matches(ifNoneMatch: String(parts[1]), etag: "\"0123abcd\"")
    }
  }
}
