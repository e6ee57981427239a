import Foundation

/// Small JSON helpers shared by the JSON sources.
enum JSONText {
  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// The parser's own explanation ("Invalid value around character 6."), without the
  /// Cocoa-domain boilerplate.
  static func detail(of error: Error) -> String {
    let nsError = error as NSError
    let detail = nsError.userInfo["NSDebugDescription"] as? String ?? nsError.localizedDescription
    return detail.hasSuffix(".") ? String(detail.dropLast()) : detail
  }

  /// The byte offset a parser error names ("around character 6"), if any.
  static func offset(of error: Error) -> Int? {
    let detail = detail(of: error)
    guard let range = detail.range(of: "character ") else { return nil }
    return Int(detail[range.upperBound...].prefix(while: \.isNumber))
  }
}
