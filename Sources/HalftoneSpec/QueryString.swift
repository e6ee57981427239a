/// One `name=value` pair of a query, percent-decoded.
public struct QueryParameter: Hashable, Sendable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// Splits and decodes query strings. Our own parser (not Foundation's) so that `%2C` and `,` both
/// become `,`, `+` stays `+` (no CDN here uses it for spaces), and malformed escapes are kept as
/// written (the value is then rejected, or ignored, by the parameter that reads it).
public enum QueryString {
  /// Splits `query` (the text after `?`) on `&` and each part on its first `=`, decoding both.
  public static func parameters(_ query: Substring) -> [QueryParameter] {
    // Scanned as UTF-8: `&` and `=` are ASCII, so their byte positions are character boundaries.
    var parameters: [QueryParameter] = []
    let bytes = query.utf8
    var start = bytes.startIndex
    while start < bytes.endIndex {
      let end = bytes[start...].firstIndex(of: 0x26) ?? bytes.endIndex
      if start < end {
        let pair = query[start..<end]
        if let equals = pair.utf8.firstIndex(of: 0x3D) {
          parameters.append(
            QueryParameter(
              name: percentDecoded(pair[..<equals]),
              value: percentDecoded(pair[pair.utf8.index(after: equals)...])))
        } else {
          parameters.append(QueryParameter(name: percentDecoded(pair), value: ""))
        }
      }
      guard end < bytes.endIndex else { break }
      start = bytes.index(after: end)
    }
    return parameters
  }

  /// Decodes `%XX` escapes as UTF-8; an escape that is not two hex digits is kept literally.
  public static func percentDecoded(_ text: Substring) -> String {
    guard text.utf8.contains(0x25) else { return String(text) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    let utf8 = Array(text.utf8)
    var index = 0
    while index < utf8.count {
      if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
        let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
      {
        bytes.append(high << 4 | low)
        index += 3
      } else {
        bytes.append(utf8[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}

/// The parameters of one query as a dialect reads them: each taken at most once, the last of a
/// repeated name wins (with a warning), and whatever no reader took becomes an "ignored" warning.
struct ParameterBag {
  private var values: [String: String] = [:]
  private var order: [String] = []
  private var taken: Set<String> = []
  private(set) var warnings: [String] = []

  init(_ parameters: [QueryParameter]) throws(SpecError) {
    guard parameters.count <= Limits.maxParameters else {
      throw SpecError(
        kind: .invalidSpec, parameter: nil,
        message:
          "\(parameters.count) query parameters: a spec may have at most \(Limits.maxParameters)")
    }
    for parameter in parameters {
      if values[parameter.name] != nil {
        warnings.append("parameter '\(parameter.name)' is repeated; the last value is used")
      } else {
        order.append(parameter.name)
      }
      values[parameter.name] = parameter.value
    }
  }

  /// The value of `name`, marking it read.
  mutating func take(_ name: String) -> String? {
    guard let value = values[name] else { return nil }
    taken.insert(name)
    return value
  }

  /// Marks parameters as read without using them (signatures, library stamps).
  mutating func ignore(_ names: String...) {
    for name in names { taken.insert(name) }
  }

  mutating func warn(_ message: String) { warnings.append(message) }

  /// Warnings so far plus one per parameter nobody read, in query order.
  func finalWarnings(dialect: Dialect) -> [String] {
    warnings
      + order.filter { !taken.contains($0) }.map { name in
        "unknown parameter '\(name)' ignored (not read in the \(dialect.rawValue) dialect)"
      }
  }
}
