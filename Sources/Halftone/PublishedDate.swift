import Foundation

/// An article's `publishedDateTime` as a date, for choosing among an archive's captures.
enum PublishedDate {
  /// RFC 3339 / ISO 8601 with or without fractional seconds or offset, or a bare date (taken as
  /// UTC midnight); `nil` for anything else (then the newest capture is preferred).
  static func parse(_ text: String?) -> Date? {
    guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
      return nil
    }
    let full = ISO8601DateFormatter()
    if let date = full.date(from: text) { return date }
    full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = full.date(from: text) { return date }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"] {
      formatter.dateFormat = format
      if let date = formatter.date(from: text) { return date }
    }
    return nil
  }
}
