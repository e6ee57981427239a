import Foundation
import HalftoneCore

/// What to do with one attempt's outcome: hand back a response, fail, or try again after a delay.
enum ResponseVerdict {
  case success(FetchResponse)
  case failure(FetchError)
  /// Transient: retry after `delay` seconds if attempts remain, otherwise fail with `error`.
  case retry(delay: TimeInterval, error: FetchError)

  init(_ outcome: TransferOutcome, request: FetchRequest, attempt: Int, policy: FetchPolicy) {
    let url = request.url
    if let failure = outcome.failure {
      self =
        CurlErrors.isTransient(failure.kind) && !failure.isCancellation
        ? .retry(delay: Self.backoff(attempt, policy), error: failure) : .failure(failure)
      return
    }
    let status = outcome.status
    let headers = outcome.headers
    let statusText = "HTTP \(status)\(outcome.reason.isEmpty ? "" : " \(outcome.reason)")"
    let hop = outcome.effectiveURL != url ? " (redirected to \(outcome.effectiveURL))" : ""

    if status == 304 {
      self = .success(
        FetchResponse(
          status: status, body: Data(), effectiveURL: outcome.effectiveURL,
          etag: headers["etag"] ?? request.ifNoneMatch,
          lastModified: headers["last-modified"] ?? request.ifModifiedSince,
          contentType: headers["content-type"], notModified: true, format: nil, attempts: attempt))
      return
    }
    if (200..<300).contains(status) {
      let format = ImageFormat.sniff(outcome.body)
      if request.body != .image {
        self = .success(
          FetchResponse(
            status: status, body: outcome.body, bodyBytes: outcome.bodyBytes,
            effectiveURL: outcome.effectiveURL, contentType: headers["content-type"],
            format: format, attempts: attempt, headers: headers))
        return
      }
      guard let format else {
        self = .failure(
          FetchError(
            kind: .notAnImage,
            message: "\(url)\(hop) answered \(statusText) with \(outcome.bodyBytes) bytes of "
              + "Content-Type \(headers["content-type"] ?? "(none)") that are not an image; "
              + "they begin \(Self.printable(outcome.body))",
            url: url, httpStatus: status, headers: headers))
        return
      }
      self = .success(
        FetchResponse(
          status: status, body: outcome.body, bodyBytes: outcome.bodyBytes,
          effectiveURL: outcome.effectiveURL,
          etag: headers["etag"], lastModified: headers["last-modified"],
          contentType: headers["content-type"], format: format, attempts: attempt,
          headers: headers))
      return
    }

    var error = FetchError(
      kind: .httpStatus, message: "\(url)\(hop) answered \(statusText)", url: url,
      httpStatus: status, headers: headers)
    error.retryAfter = headers["retry-after"].flatMap { Backoff.retryAfterSeconds($0) }
    guard status == 429 || (500..<600).contains(status) else {
      self = .failure(error)  // other 4xx (and unfollowed 3xx): asking again will not help
      return
    }
    if let value = headers["retry-after"], let wait = error.retryAfter {
      guard wait <= policy.maxRetryAfter else {
        var refused = error
        refused.message +=
          "; Retry-After \(quoted(value)) is over the \(Int(policy.maxRetryAfter)) s limit"
        self = .failure(refused)
        return
      }
      self = .retry(delay: wait, error: error)
      return
    }
    self = .retry(delay: Self.backoff(attempt, policy), error: error)
  }

  private static func backoff(_ attempt: Int, _ policy: FetchPolicy) -> TimeInterval {
    Backoff.jittered(afterAttempt: attempt, base: policy.baseBackoff, max: policy.maxBackoff)
  }

  /// The first bytes of a body as text a person can read: `"<!doctype html>…"` with anything
  /// unprintable as `\xNN`.
  static func printable(_ body: Data, limit: Int = 48) -> String {
    if body.isEmpty { return "(empty body)" }
    var text = "\""
    for byte in body.prefix(limit) {
      switch byte {
      case 0x20..<0x7F where byte != 0x22 && byte != 0x5C: text.unicodeScalars.append(.init(byte))
      default: text += String(format: "\\x%02X", byte)
      }
    }
    return text + (body.count > limit ? "…\"" : "\"")
  }
}
