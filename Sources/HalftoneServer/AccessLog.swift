import Foundation
import Logging

/// The access log: one `info` line per answered request, `METHOD target status bytes seconds`,
/// with the query's `sig` value masked (it is a credential for that URL) and long targets cut.
///
/// Shared by `HalftoneResponder` and `HotBlobChannelHandler`, so a hot blob answered on the event
/// loop is logged exactly as one answered through Hummingbird.
struct AccessLog: Sendable {
  let logger: Logger

  /// Whether lines are written at all (checked before building one: most benchmarks and busy
  /// servers run with the access log off).
  var isEnabled: Bool { logger.logLevel <= .info }

  func record(
    method: String, path: String, query: String?, status: Int, bytes: Int, duration: Duration
  ) {
    var target = path
    if let query, !query.isEmpty {
      target += "?" + Self.maskingSignature(query)
    }
    if target.utf8.count > 512 { target = String(target.prefix(512)) + "…" }
    let seconds =
      Double(duration.components.seconds)
      + Double(duration.components.attoseconds) / 1e18
    logger.info(
      "\(method) \(target) \(status) \(bytes) \(String(format: "%.6f", seconds))")
  }

  static func maskingSignature(_ query: String) -> String {
    query.split(separator: "&", omittingEmptySubsequences: false).map { part in
      part.hasPrefix("sig=") ? "sig=…" : part
    }.joined(separator: "&")
  }
}
