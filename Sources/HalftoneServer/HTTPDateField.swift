import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `Date` header value (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, the format
/// Hummingbird sends), formatted at most once a second.
///
/// Not thread-safe: one per connection handler, used on its event loop only (no lock on the path
/// that answers every hot blob).
struct HTTPDateField {
  private var second: time_t = -1
  private var text = ""

  /// The current time, formatted.
  mutating func now() -> String {
    let current = time(nil)
    if current != second {
      second = current
      text = Self.format(current)
    }
    return text
  }

  static func format(_ seconds: time_t) -> String {
    var seconds = seconds
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
      + "\(parts.tm_year + 1900) \(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):"
      + "\(twoDigits(parts.tm_sec)) GMT"
  }

  private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  private static let months = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  private static func twoDigits(_ value: Int32) -> String {
    value < 10 ? "0\(value)" : String(value)
  }
}
