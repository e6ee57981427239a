import Foundation

/// The access log: one line per answered request, `TIME METHOD target status bytes seconds`,
/// with the query's `sig` value masked (it is a credential for that URL) and long targets cut.
///
/// Shared by `HalftoneResponder` and `HotBlobChannelHandler`, so a hot blob answered on the event
/// loop is logged exactly as one answered through Hummingbird. Recording a line costs the event
/// loop one short critical section; formatting and writing happen on `AccessLogWriter`'s thread.
struct AccessLog: Sendable {
  /// `nil` with `--access-log off`.
  let writer: AccessLogWriter?

  /// Whether lines are written at all (checked before building one).
  var isEnabled: Bool { writer != nil }

  func record(
    method: String, path: String, query: String?, status: Int, bytes: Int, duration: Duration
  ) {
    guard let writer else { return }
    var target = path
    if let query, !query.isEmpty {
      target += "?" + Self.maskingSignature(query)
    }
    if target.utf8.count > AccessLogWriter.maxTargetBytes {
      target =
        String(decoding: target.utf8.prefix(AccessLogWriter.maxTargetBytes), as: UTF8.self)
        + "…"
    }
    writer.append(
      AccessLogWriter.Entry(
        time: Date(), method: method, target: target, status: status, bytes: bytes,
        duration: duration))
  }

  static func maskingSignature(_ query: String) -> String {
    guard query.contains("sig=") else { return query }
    return query.split(separator: "&", omittingEmptySubsequences: false).map { part in
      part.hasPrefix("sig=") ? "sig=…" : part
    }.joined(separator: "&")
  }
}
