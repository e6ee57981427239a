import Foundation

/// Delays between attempts: exponential backoff with full jitter, and the server's `Retry-After`.
public enum Backoff {
  /// The cap for the wait before attempt `failedAttempt + 1`: `base × 2^(failedAttempt−1)`,
  /// clamped to `max`. The actual wait is drawn uniformly from `0...cap` ("full jitter"), so many
  /// clients failing together do not retry together.
  public static func cap(afterAttempt failedAttempt: Int, base: TimeInterval, max: TimeInterval)
    -> TimeInterval
  {
    let exponent = Double(Swift.max(0, Swift.min(failedAttempt - 1, 62)))
    return Swift.min(max, base * pow(2, exponent))
  }

  public static func jittered(
    afterAttempt failedAttempt: Int, base: TimeInterval, max: TimeInterval
  )
    -> TimeInterval
  {
    let cap = cap(afterAttempt: failedAttempt, base: base, max: max)
    return cap > 0 ? Double.random(in: 0...cap) : 0
  }

  /// Seconds to wait according to a `Retry-After` value: delta-seconds (`"120"`) or an HTTP-date
  /// (IMF-fixdate, RFC 850 or asctime form). A date in the past means 0; `nil` if unparseable.
  public static func retryAfterSeconds(_ value: String, now: Date = Date()) -> TimeInterval? {
    let text = value.trimmingCharacters(in: .whitespaces)
    if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
      return TimeInterval(text) ?? .greatestFiniteMagnitude  // absurdly many digits: "forever"
    }
    return httpDate(text).map { Swift.max(0, $0.timeIntervalSince(now)) }
  }

  /// An HTTP-date (`Retry-After`, `Memento-Datetime`) in any of the three forms HTTP allows;
  /// `nil` if unparseable.
  public static func httpDate(_ value: String) -> Date? {
    let text = value.trimmingCharacters(in: .whitespaces)
    for format in httpDateFormats {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "GMT")
      formatter.dateFormat = format
      if let date = formatter.date(from: text) { return date }
    }
    return nil
  }

  /// RFC 9110 §5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime forms.
  private static let httpDateFormats = [
    "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
  ]
}
