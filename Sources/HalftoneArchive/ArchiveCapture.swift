import Foundation

/// One capture of a URL in a web archive, as its index (a CDX row) or a TimeGate names it.
public struct ArchiveCapture: Sendable, Hashable {
  /// The archive's 14-digit timestamp (`yyyyMMddHHmmss`, UTC).
  public var timestamp: String
  /// The URL as the archive captured it.
  public var original: String
  public var mimetype: String
  public var statusCode: Int?
  /// Base32 SHA-1 of the payload (CDX `digest`), when the index gave one.
  public var digest: String?
  public var length: Int?

  /// When it was captured.
  public var capturedAt: Date? { Self.date(fromTimestamp: timestamp) }

  /// Whether a replay of it can be an image: a 200 of an `image/…` type, not a revisit record
  /// (whose payload is another capture's).
  var isUsable: Bool {
    let type = mimetype.lowercased()
    return statusCode == 200 && type.hasPrefix("image/") && capturedAt != nil
  }

  static func date(fromTimestamp timestamp: String) -> Date? {
    guard (4...14).contains(timestamp.count), timestamp.allSatisfy(\.isASCII),
      timestamp.allSatisfy(\.isNumber)
    else { return nil }
    // A shorter timestamp names the start of its period (`2019` is 2019-01-01 00:00:00).
    let padded = timestamp + String("00000101000000".suffix(14 - timestamp.count))
    var parts = DateComponents()
    let digits = Array(padded)
    func number(_ from: Int, _ count: Int) -> Int { Int(String(digits[from..<from + count]))! }
    parts.year = number(0, 4)
    parts.month = number(4, 2)
    parts.day = number(6, 2)
    parts.hour = number(8, 2)
    parts.minute = number(10, 2)
    parts.second = number(12, 2)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    guard (1...12).contains(parts.month!), (1...31).contains(parts.day!),
      parts.hour! < 24, parts.minute! < 60, parts.second! < 61
    else { return nil }
    return calendar.date(from: parts)
  }

  static func timestamp(of date: Date) -> String {
    fixedFormat("yyyyMMddHHmmss").string(from: date)
  }

  /// A formatter of `format` in the POSIX locale, UTC: the archives' timestamps and HTTP-dates.
  static func fixedFormat(_ format: String) -> DateFormatter {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = format
    return formatter
  }
}

/// Reads the Wayback CDX server's JSON output: an array of rows, the first naming the fields.
enum CDXReader {
  /// The captures of a CDX JSON body, in its order; an empty body or `[]` is no capture.
  static func captures(_ body: Data) throws(CDXReadError) -> [ArchiveCapture] {
    if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [] }
    let parsed: Any
    do { parsed = try JSONSerialization.jsonObject(with: body) } catch {
      throw CDXReadError(why: "not JSON")
    }
    guard let rows = parsed as? [Any] else { throw CDXReadError(why: "not a JSON array") }
    guard let header = rows.first else { return [] }
    guard let names = header as? [String] else {
      throw CDXReadError(why: "its first row does not name the fields")
    }
    func column(_ name: String) -> Int? { names.firstIndex(of: name) }
    guard let timestamp = column("timestamp"), let original = column("original") else {
      throw CDXReadError(why: "no timestamp or original field in \(names)")
    }
    var captures: [ArchiveCapture] = []
    for case let row as [Any] in rows.dropFirst() {
      func field(_ index: Int?) -> String? {
        guard let index, index < row.count else { return nil }
        return row[index] as? String ?? (row[index] as? NSNumber)?.stringValue
      }
      guard let stamp = field(timestamp), let url = field(original) else { continue }
      captures.append(
        ArchiveCapture(
          timestamp: stamp, original: url, mimetype: field(column("mimetype")) ?? "",
          statusCode: field(column("statuscode")).flatMap { Int($0) },
          digest: field(column("digest")), length: field(column("length")).flatMap { Int($0) }))
    }
    return captures
  }
}

struct CDXReadError: Error {
  var why: String
}
