import Foundation
import HalftoneFetch

extension ArchiveClient {
  /// The usable captures of `url` in a Wayback-style archive, best first (`CaptureOrder`), at
  /// most `limits.maxCaptures`: with an article date, the CDX rows from that date on, then the
  /// ones before it; without one, the newest.
  func waybackCaptures(of url: String, base: String, published: Date?) async throws
    -> [ArchiveCapture]
  {
    let count = limits.maxCaptures
    guard let published else {
      return CaptureOrder.sorted(try await cdx(base, url, ["limit": "-\(count)"]), published: nil)
    }
    let stamp = ArchiveCapture.timestamp(of: published)
    var found = CaptureOrder.sorted(
      try await cdx(base, url, ["from": stamp, "limit": "\(count)"]), published: published)
    if found.count < count {
      let earlier = try await cdx(base, url, ["to": stamp, "limit": "-\(count)"])
      found = CaptureOrder.sorted(found + earlier, published: published)
    }
    return Array(found.prefix(count))
  }

  /// One CDX query for `url` with the fields and filters Halftone reads, plus `window`.
  private func cdx(_ base: String, _ url: String, _ window: [String: String]) async throws
    -> [ArchiveCapture]
  {
    var query = [
      ("url", url), ("output", "json"),
      ("fl", "timestamp,original,mimetype,statuscode,digest,length"),
      ("filter", "statuscode:200"), ("filter", "mimetype:image/.*"),
    ]
    for key in ["from", "to", "limit"] { if let value = window[key] { query.append((key, value)) } }
    let target =
      base + "/cdx/search/cdx?"
      + query.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    var request = FetchRequest(url: target)
    request.body = .document(maxBytes: limits.maxIndexBytes)
    let response = try await send(request, lane: .lookup, confirms: false)
    do {
      let captures = try CDXReader.captures(response.body)
      pacer.succeeded()
      return captures
    } catch {
      pacer.failed(
        pause: Backoff.jittered(afterAttempt: 1, base: limits.baseBackoff, max: 60),
        why: "its CDX answer is \(error.why)")
      throw ArchiveError(
        kind: .archiveUnavailable,
        message: "\(name) answered the capture index query for \(url) with a body that is "
          + "\(error.why) (\(response.bodyBytes) bytes of \(response.contentType ?? "no type"))")
    }
  }

  /// The Wayback replay URL of `capture`'s raw bytes (`id_`: no rewriting, no banner).
  static func replayURL(base: String, _ capture: ArchiveCapture) -> String {
    "\(base)/web/\(capture.timestamp)id_/\(capture.original)"
  }

  /// `{url}` of a Memento TimeGate template filled in.
  static func timeGateURL(template: String, url: String) -> String {
    template.replacingOccurrences(of: "{url}", with: url)
  }

  /// RFC 3986 unreserved characters stay, everything else is percent-encoded.
  static func percentEncoded(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
  }

  /// An HTTP-date (IMF-fixdate), as `Accept-Datetime` takes it.
  static func httpDate(_ date: Date) -> String {
    ArchiveCapture.fixedFormat("EEE, dd MMM yyyy HH:mm:ss 'GMT'").string(from: date)
  }

}
