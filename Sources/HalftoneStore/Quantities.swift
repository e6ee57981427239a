import Foundation

/// Sizes and ages as people type them on a command line: `500M`, `2G`, `30d`, `12h`.
public enum Quantities {
  /// Bytes from `123`, `64K`, `500M`, `2G`, `1T` (optionally `1.5G`, `500MB`, `500MiB`); units
  /// are binary (K = 1024). `nil` for anything else, zero or negative sizes included.
  public static func bytes(_ text: String) -> Int? {
    let units: [(suffixes: [String], factor: Double)] = [
      (["TIB", "TB", "T"], 1_099_511_627_776), (["GIB", "GB", "G"], 1_073_741_824),
      (["MIB", "MB", "M"], 1_048_576), (["KIB", "KB", "K"], 1024), (["B", ""], 1),
    ]
    return parse(text, units: units).flatMap { value in
      value >= 1 && value < 9e18 ? Int(value) : nil
    }
  }

  /// Seconds from `90s`, `45m`, `12h`, `30d`, `2w` (a bare number is seconds). `nil` for
  /// anything else: negative ages, and zero unless `allowingZero` (a grace period may be none;
  /// a maximum age of zero would be a typo that empties the cache).
  public static func seconds(_ text: String, allowingZero: Bool = false) -> TimeInterval? {
    let units: [(suffixes: [String], factor: Double)] = [
      (["W"], 604_800), (["D"], 86_400), (["H"], 3_600), (["M", "MIN"], 60), (["S", ""], 1),
    ]
    return parse(text, units: units).flatMap { value in
      (value > 0 || (allowingZero && value == 0)) && value < 1e12 ? value : nil
    }
  }

  /// `1536` → `1.5 KiB`, for reports.
  public static func describe(bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while abs(value) >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }

  private static func parse(
    _ text: String, units: [(suffixes: [String], factor: Double)]
  ) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
    guard !trimmed.isEmpty, trimmed.utf8.count <= 32 else { return nil }
    let numberEnd =
      trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
    let number = String(trimmed[..<numberEnd])
    let suffix = String(trimmed[numberEnd...]).trimmingCharacters(in: .whitespaces)
    guard !number.isEmpty, let value = Double(number) else { return nil }
    for unit in units where unit.suffixes.contains(suffix) { return value * unit.factor }
    return nil
  }
}
