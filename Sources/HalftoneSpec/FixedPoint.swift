/// Decimal numbers held exactly as millionths (`0.5` → 500_000), so `0.5`, `50p` and `%2C`-encoded
/// values compare equal in canonical keys without floating-point noise.
enum FixedPoint {
  static let one = 1_000_000

  /// Parses unsigned decimal text: `12`, `12.5`, `.5`, `0.333333`. `nil` for anything else
  /// (signs, exponents, empty text, more than 9 integer digits). Digits past the sixth decimal
  /// round half up.
  static func parse<Text: StringProtocol>(_ text: Text) -> Int? {
    var whole = 0
    var fraction = 0
    var fractionDigits = 0
    var wholeDigits = 0
    var sawDigit = false
    var sawPoint = false
    var roundUp = false
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let digit = Int(byte - UInt8(ascii: "0"))
        sawDigit = true
        if !sawPoint {
          wholeDigits += 1
          guard wholeDigits <= 9 else { return nil }
          whole = whole * 10 + digit
        } else if fractionDigits < 6 {
          fraction = fraction * 10 + digit
          fractionDigits += 1
        } else if fractionDigits == 6 {
          roundUp = digit >= 5
          fractionDigits += 1
        }
      case UInt8(ascii: "."):
        guard !sawPoint else { return nil }
        sawPoint = true
      default:
        return nil
      }
    }
    guard sawDigit else { return nil }
    while fractionDigits < 6 {
      fraction *= 10
      fractionDigits += 1
    }
    return whole * one + fraction + (roundUp ? 1 : 0)
  }

  /// Parses whole numbers only (`640`), at most 9 digits.
  static func integer<Text: StringProtocol>(_ text: Text) -> Int? {
    guard !text.isEmpty, text.utf8.count <= 9,
      text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return nil }
    return Int(text)
  }

  /// The shortest decimal text for a millionths value: 500_000 → `0.5`, 2_000_000 → `2`.
  static func text(_ millionths: Int) -> String {
    let sign = millionths < 0 ? "-" : ""
    let magnitude = abs(millionths)
    let whole = magnitude / one
    var fraction = magnitude % one
    guard fraction != 0 else { return "\(sign)\(whole)" }
    var digits = 6
    while fraction % 10 == 0 {
      fraction /= 10
      digits -= 1
    }
    let padded = String(repeating: "0", count: digits - String(fraction).count) + String(fraction)
    return "\(sign)\(whole).\(padded)"
  }
}

/// `numerator / denominator` rounded to the nearest integer, halves away from zero.
/// `denominator` must be positive.
func roundedQuotient(_ numerator: Int, _ denominator: Int) -> Int {
  if numerator >= 0 { return (2 * numerator + denominator) / (2 * denominator) }
  return -((2 * -numerator + denominator) / (2 * denominator))
}

/// `numerator / denominator` rounded down (towards minus infinity). `denominator` must be positive.
func flooredQuotient(_ numerator: Int, _ denominator: Int) -> Int {
  numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator)
}

func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
  var (x, y) = (abs(a), abs(b))
  while y != 0 { (x, y) = (y, x % y) }
  return x
}
