import Crypto
import Foundation

/// A web archive on loopback that speaks the protocols Halftone reads: a Wayback CDX server
/// (`/cdx/search/cdx` with JSON output, `fl`, `filter`, `from`/`to`, `limit` including negative
/// limits), raw `id_` replays (`/web/<timestamp>id_/<url>`, redirecting a near timestamp to the
/// exact one), and a Memento TimeGate (`/timegate/<url>` with `Accept-Datetime`, redirecting to
/// `/memento/<timestamp>/<url>`). Every request is recorded with its arrival time.
public final class ArchiveServer: @unchecked Sendable {
  /// One capture of one URL.
  public struct Capture: Sendable {
    public var url: String
    /// 14 digits, UTC.
    public var timestamp: String
    public var body: Data
    public var mimetype: String
    /// The status the capture recorded (a capture of a 404 is one too).
    public var status: Int
    /// The index's digest; default: the real base32 SHA-1 of `body`.
    public var digest: String?
    /// The index lists it under this timestamp, its replay lives at `timestamp` (a near
    /// timestamp redirects to the exact one, as the Wayback Machine does).
    public var listedAs: String?
    /// Its replay redirects off the archive's host.
    public var redirectsOffHost = false

    public init(
      url: String, timestamp: String, body: Data, mimetype: String = "image/jpeg",
      status: Int = 200, digest: String? = nil, listedAs: String? = nil
    ) {
      self.url = url
      self.timestamp = timestamp
      self.body = body
      self.mimetype = mimetype
      self.status = status
      self.digest = digest
      self.listedAs = listedAs
    }
  }

  public let http: OriginServer
  private let lock = NSLock()
  private var captures: [Capture] = []
  private var cdxFaults: [OriginResponse] = []
  private var everyCDX: OriginResponse?
  private var everyRequest: OriginResponse?
  /// TimeGate replays answer without `Memento-Datetime` (a replay that is not a capture).
  public var mementoWithoutDatetime: Bool {
    get { lock.withLock { withoutDatetime } }
    set { lock.withLock { withoutDatetime = newValue } }
  }
  private var withoutDatetime = false

  public init() throws {
    http = try OriginServer()
    http.route("/cdx/search/cdx", .handler { [unowned self] in self.cdx($0) })
    http.fallback(.handler { [unowned self] in self.replay($0) })
  }

  deinit { http.stop() }

  /// `wayback:BASE` for `--archive`.
  public var waybackArgument: String { "wayback:\(http.baseURL)" }
  /// `memento:TEMPLATE` for `--archive`.
  public var mementoArgument: String { "memento:\(http.baseURL)/timegate/{url}" }

  public func add(_ capture: Capture) { lock.withLock { captures.append(capture) } }

  /// The next `count` CDX queries get `response` (e.g. 429 with `Retry-After`).
  public func failNextLookups(_ count: Int, with response: OriginResponse) {
    lock.withLock { cdxFaults += Array(repeating: response, count: count) }
  }

  /// Every CDX query gets `response` (`nil`: answer normally).
  public func answerEveryLookup(_ response: OriginResponse?) {
    lock.withLock { everyCDX = response }
  }

  /// Every request of any kind gets `response` (a down archive: 503).
  public func answerEveryRequest(_ response: OriginResponse?) {
    lock.withLock { everyRequest = response }
  }

  /// Requests received, by kind.
  public var lookups: [OriginRequest] { http.requests().filter { $0.path == "/cdx/search/cdx" } }
  public var replays: [OriginRequest] { http.requests().filter { $0.path.hasPrefix("/web/") } }
  public var timeGates: [OriginRequest] {
    http.requests().filter { $0.path.hasPrefix("/timegate/") }
  }
  public var mementos: [OriginRequest] {
    http.requests().filter { $0.path.hasPrefix("/memento/") }
  }

  /// The base32 SHA-1 a CDX index names a payload by.
  public static func digest(_ body: Data) -> String {
    let bytes = Array(Insecure.SHA1.hash(data: body))
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    var out = ""
    var buffer = 0
    var bits = 0
    for byte in bytes {
      buffer = (buffer << 8) | Int(byte)
      bits += 8
      while bits >= 5 {
        out.append(alphabet[(buffer >> (bits - 5)) & 31])
        bits -= 5
      }
    }
    if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
    return out
  }

  // MARK: CDX

  private func cdx(_ request: OriginRequest) -> OriginResponse {
    let (fault, all, every, known) = lock.withLock {
      () -> (OriginResponse?, OriginResponse?, OriginResponse?, [Capture]) in
      let fault = cdxFaults.isEmpty ? nil : cdxFaults.removeFirst()
      return (fault, everyRequest, everyCDX, captures)
    }
    if let response = all ?? fault ?? every { return response }
    let query = Self.queryItems(request.query ?? "")
    let url = query.first { $0.0 == "url" }?.1 ?? ""
    let fields =
      (query.first { $0.0 == "fl" }?.1 ?? "timestamp,original,mimetype,statuscode,digest,length")
      .split(separator: ",").map(String.init)
    var rows = known.filter { $0.url == url }.map { capture -> [String: String] in
      [
        "timestamp": capture.listedAs ?? capture.timestamp, "original": capture.url,
        "mimetype": capture.mimetype, "statuscode": "\(capture.status)",
        "digest": capture.digest ?? Self.digest(capture.body), "length": "\(capture.body.count)",
        "urlkey": capture.url,
      ]
    }
    for (name, value) in query where name == "filter" {
      guard let colon = value.firstIndex(of: ":") else { continue }
      let field = String(value[..<colon])
      let pattern = "^(" + value[value.index(after: colon)...] + ")$"
      guard let regex = try? NSRegularExpression(pattern: pattern) else {
        return .text("bad filter \(value)", status: 400)
      }
      rows = rows.filter { row in
        let text = row[field] ?? ""
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
      }
    }
    if let from = query.first(where: { $0.0 == "from" })?.1 {
      let bound = from.padding(toLength: 14, withPad: "0", startingAt: 0)
      rows = rows.filter { $0["timestamp"]! >= bound }
    }
    if let to = query.first(where: { $0.0 == "to" })?.1 {
      let bound = to.padding(toLength: 14, withPad: "9", startingAt: 0)
      rows = rows.filter { $0["timestamp"]! <= bound }
    }
    rows.sort { $0["timestamp"]! < $1["timestamp"]! }
    if let limit = query.first(where: { $0.0 == "limit" }).flatMap({ Int($0.1) }) {
      rows = limit >= 0 ? Array(rows.prefix(limit)) : Array(rows.suffix(-limit))
    }
    guard !rows.isEmpty else { return .text("[]", contentType: "application/json") }
    let table = [fields] + rows.map { row in fields.map { row[$0] ?? "-" } }
    let data = try! JSONSerialization.data(withJSONObject: table)
    return .ok(data, contentType: "application/json")
  }

  // MARK: Replays

  private func replay(_ request: OriginRequest) -> OriginResponse {
    let (all, known, noDatetime) = lock.withLock { (everyRequest, captures, withoutDatetime) }
    if let all { return all }
    let path = request.path
    let suffix = request.query.map { "?" + $0 } ?? ""
    if path.hasPrefix("/web/"), let marker = path.range(of: "id_/") {
      let stamp = String(path[path.index(path.startIndex, offsetBy: 5)..<marker.lowerBound])
      let url = String(path[marker.upperBound...]) + suffix
      let ofURL = known.filter { $0.url == url }
      if let exact = ofURL.first(where: { $0.timestamp == stamp }) {
        if exact.redirectsOffHost {
          return .redirect(to: "http://localhost:\(http.port)/web/\(stamp)id_/\(url)")
        }
        return Self.replayAnswer(exact, datetime: true)
      }
      guard let near = Self.closest(ofURL, to: stamp) else { return .status(404) }
      return .redirect(to: "/web/\(near.timestamp)id_/\(url)")
    }
    if path.hasPrefix("/timegate/") {
      let url = String(path.dropFirst("/timegate/".count)) + suffix
      let wanted =
        request.header("Accept-Datetime").flatMap(Self.parseHTTPDate)
        .map(Self.timestamp) ?? "99999999999999"
      guard let near = Self.closest(known.filter { $0.url == url }, to: wanted) else {
        return .status(404)
      }
      return OriginResponse(
        status: 302,
        headers: [
          ("Location", "/memento/\(near.timestamp)/\(url)"), ("Vary", "accept-datetime"),
          ("Link", "<\(url)>; rel=\"original\""),
        ])
    }
    if path.hasPrefix("/memento/") {
      let rest = path.dropFirst("/memento/".count)
      guard let slash = rest.firstIndex(of: "/") else { return .status(404) }
      let stamp = String(rest[..<slash])
      let url = String(rest[rest.index(after: slash)...]) + suffix
      guard let capture = known.first(where: { $0.url == url && $0.timestamp == stamp }) else {
        return .status(404)
      }
      return Self.replayAnswer(capture, datetime: !noDatetime)
    }
    return .status(404)
  }

  private static func replayAnswer(_ capture: Capture, datetime: Bool) -> OriginResponse {
    var headers = [("Content-Type", capture.mimetype)]
    if datetime, let date = ArchiveServer.date(capture.timestamp) {
      headers.append(("Memento-Datetime", httpDate(date)))
    }
    return OriginResponse(status: capture.status, headers: headers, body: .data(capture.body))
  }

  private static func closest(_ captures: [Capture], to stamp: String) -> Capture? {
    let target = Double(stamp.padding(toLength: 14, withPad: "0", startingAt: 0)) ?? 0
    return captures.min {
      abs(Double($0.timestamp)! - target) < abs(Double($1.timestamp)! - target)
    }
  }

  // MARK: Helpers

  static func queryItems(_ query: String) -> [(String, String)] {
    query.split(separator: "&").map { item in
      let parts = item.split(separator: "=", maxSplits: 1)
      let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
      let value = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? "" : ""
      return (name, value)
    }
  }

  public static func date(_ stamp: String) -> Date? { format("yyyyMMddHHmmss").date(from: stamp) }

  static func timestamp(_ date: Date) -> String { format("yyyyMMddHHmmss").string(from: date) }

  static func httpDate(_ date: Date) -> String {
    format("EEE, dd MMM yyyy HH:mm:ss 'GMT'").string(from: date)
  }

  static func parseHTTPDate(_ text: String) -> Date? {
    format("EEE, dd MMM yyyy HH:mm:ss zzz").date(from: text)
  }

  private static func format(_ pattern: String) -> DateFormatter {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = pattern
    return formatter
  }
}
