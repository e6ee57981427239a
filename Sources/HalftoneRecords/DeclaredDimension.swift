import Foundation

/// Reads a declared `width`/`height`: a positive whole number of pixels, written as a number
/// (`640`, `640.0`) or a numeric string (`"640"`). Missing, null or an empty string means "not
/// declared"; anything else that is not a positive whole number is a problem with the image.
enum DeclaredDimension {
  /// The dimension (nil: not declared), or why it is unusable.
  static func parse(_ node: RecordNode?, maximum: Int) -> Result<Int?, DimensionError> {
    guard let node else { return .success(nil) }
    switch node.scalar {
    case nil:
      return .failure(.notANumber(node.kindDescription))
    case .null:
      return .success(nil)
    case .bool(let text):
      return .failure(.notANumber("a boolean (\(text))"))
    case .number(let text):
      return parse(text: text, maximum: maximum)
    case .string(let text):
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      return trimmed.isEmpty ? .success(nil) : parse(text: trimmed, maximum: maximum)
    }
  }

  private static func parse(text: String, maximum: Int) -> Result<Int?, DimensionError> {
    let value: Double
    if !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
      value = Double(Int(text)!)
    } else if let parsed = Double(text), parsed.isFinite {
      value = parsed
    } else {
      return .failure(.notANumber("\"\(text)\""))
    }
    guard value.rounded() == value else { return .failure(.notWhole(text)) }
    guard value > 0 else { return .failure(.notPositive(text)) }
    guard value <= Double(maximum) else { return .failure(.tooLarge(text, maximum: maximum)) }
    return .success(Int(value))
  }
}

/// Why a declared dimension is unusable.
enum DimensionError: Error {
  case notANumber(String)
  case notWhole(String)
  case notPositive(String)
  case tooLarge(String, maximum: Int)

  /// The message tail after the field name, e.g. `is "abc", not a number of pixels`.
  var explanation: String {
    switch self {
    case .notANumber(let what): "is \(what), not a number of pixels"
    case .notWhole(let text): "is \(text), not a whole number of pixels"
    case .notPositive(let text): "is \(text); it must be at least 1 pixel"
    case .tooLarge(let text, let maximum):
      "is \(text), larger than the \(maximum)-pixel maximum any image declares"
    }
  }
}
