import Foundation
import HalftoneCore

/// A web archive Halftone may recover images from, as configured with `--archive`.
///
/// - `wayback` (the Internet Archive's Wayback Machine at `https://web.archive.org`), or
///   `wayback:BASE` for another server speaking its CDX and `id_` replay protocol (pywb, a
///   test's loopback archive).
/// - `memento:TEMPLATE`: an RFC 7089 TimeGate, `{url}` standing for the URL looked up
///   (`memento:https://archive.example/timegate/{url}`).
public enum ArchiveSource: Sendable, Hashable, CustomStringConvertible {
  case wayback(base: String)
  case memento(template: String)

  /// The Internet Archive's Wayback Machine.
  public static let internetArchive = "https://web.archive.org"

  /// Parses one `--archive` value; `none` parses to `nil`.
  public static func parse(_ text: String) throws(ArchiveError) -> ArchiveSource? {
    let value = text.trimmingCharacters(in: .whitespaces)
    if value == "none" { return nil }
    if value == "wayback" { return .wayback(base: internetArchive) }
    if value.hasPrefix("wayback:") {
      let base = String(value.dropFirst("wayback:".count))
      try Self.checkHTTP(base, in: text)
      return .wayback(base: base.hasSuffix("/") ? String(base.dropLast()) : base)
    }
    if value.hasPrefix("memento:") {
      let template = String(value.dropFirst("memento:".count))
      try Self.checkHTTP(template, in: text)
      guard template.contains("{url}") else {
        throw ArchiveError(
          kind: .invalidURL,
          message: "--archive \(text): a Memento TimeGate template needs {url} where the image "
            + "URL goes, e.g. memento:https://archive.example/timegate/{url}")
      }
      return .memento(template: template)
    }
    throw ArchiveError(
      kind: .invalidURL,
      message: "--archive \(text): expected wayback, wayback:BASE-URL, "
        + "memento:TIMEGATE-TEMPLATE-WITH-{url} or none")
  }

  private static func checkHTTP(_ url: String, in text: String) throws(ArchiveError) {
    guard let parsed = URL(string: url.replacingOccurrences(of: "{url}", with: "x")),
      let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
      parsed.host?.isEmpty == false
    else {
      throw ArchiveError(
        kind: .invalidURL, message: "--archive \(text): \(url) is not an http(s) URL")
    }
  }

  /// Its name in reports and in the index (`archive_checks`): the value it was configured with.
  public var description: String {
    switch self {
    case .wayback(let base): base == Self.internetArchive ? "wayback" : "wayback:\(base)"
    case .memento(let template): "memento:\(template)"
    }
  }

  /// The host replays may redirect within (lowercased).
  var host: String {
    let url =
      switch self {
      case .wayback(let base): base
      case .memento(let template): template.replacingOccurrences(of: "{url}", with: "x")
      }
    return URL(string: url)?.host?.lowercased() ?? ""
  }
}
