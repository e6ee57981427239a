/// Reads and checks single parameter values shared by the dialects. Every failure is an
/// `invalid_spec` naming the parameter, quoting the value and saying what is accepted.
enum ValueReader {
  static let fastlyLengthHelp =
    "expected whole pixels (1–\(Limits.maxOutputSide)), a fraction below 1 like 0.5, "
    + "or a percentage like 50p"

  /// A Fastly-style length: whole pixels (`640`), a fraction below 1 (`0.5`), or a percentage
  /// (`50p`). `nil` when the text is none of these, or is zero and `allowZero` is false.
  static func fastlyLength(_ text: Substring, allowZero: Bool = false) -> Length? {
    let length: Length
    if text.hasSuffix("p") {
      guard let percent = FixedPoint.parse(text.dropLast()) else { return nil }
      let share = roundedQuotient(percent, 100)
      guard share <= Limits.maxShare else { return nil }
      length = .share(share)
    } else if text.utf8.contains(0x2E) {
      guard let fraction = FixedPoint.parse(text), fraction < FixedPoint.one else { return nil }
      length = .share(fraction)
    } else {
      guard let pixels = FixedPoint.integer(text) else { return nil }
      length = .pixels(pixels)
    }
    if !allowZero, length == .pixels(0) || length == .share(0) { return nil }
    return length
  }

  /// An output width or height (Fastly syntax), with `dpr` applied.
  static func fastlyOutputLength(_ value: String, parameter: String, dpr: Int)
    throws(SpecError) -> Length
  {
    guard let length = fastlyLength(Substring(value)) else {
      throw .invalidSpec(parameter, value, fastlyLengthHelp)
    }
    return try scaled(length, by: dpr, parameter: parameter, value: value)
  }

  /// An imgix-style size: whole pixels (`640`) or a fraction of the source up to 1 (`0.5`, `1.0`).
  static func imgixLength(_ text: Substring) -> Length? {
    if text.utf8.contains(0x2E) {
      guard let fraction = FixedPoint.parse(text), fraction > 0, fraction <= FixedPoint.one
      else { return nil }
      return .share(fraction)
    }
    guard let pixels = FixedPoint.integer(text), pixels > 0 else { return nil }
    return .pixels(pixels)
  }

  /// Multiplies a length by a device pixel ratio and checks the 1–8192 px bound. Shares are
  /// checked when a source gives them pixels (in `SizeRules`).
  static func scaled(_ length: Length, by dpr: Int, parameter: String, value: String)
    throws(SpecError) -> Length
  {
    switch length {
    case .pixels(let pixels):
      let scaledPixels = roundedQuotient(pixels * dpr, FixedPoint.one)
      guard (1...Limits.maxOutputSide).contains(pixels) else {
        throw .invalidSpec(parameter, value, "must be 1–\(Limits.maxOutputSide) pixels")
      }
      guard scaledPixels <= Limits.maxOutputSide else {
        throw .invalidSpec(
          parameter, value,
          "\(pixels) × dpr \(FixedPoint.text(dpr)) = \(scaledPixels) pixels, "
            + "more than \(Limits.maxOutputSide)")
      }
      return .pixels(max(1, scaledPixels))
    case .share(let share):
      return .share(roundedQuotient(share * dpr, FixedPoint.one))
    }
  }

  /// A device pixel ratio (`dpr`, Photon `zoom`): 1–10, decimals allowed, as millionths.
  static func dpr(_ value: String, parameter: String) throws(SpecError) -> Int {
    guard let dpr = FixedPoint.parse(value), Limits.dpr.contains(dpr) else {
      throw .invalidSpec(parameter, value, "expected a number from 1 to 10, like 2 or 1.5")
    }
    return dpr
  }

  /// A quality: whole number 1–100.
  static func quality(_ value: Substring, parameter: String, whole: String) throws(SpecError)
    -> Int
  {
    guard let quality = FixedPoint.integer(value), Limits.quality.contains(quality) else {
      throw .invalidSpec(parameter, whole, "expected a whole number from 1 to 100")
    }
    return quality
  }

  /// A share written as a fraction 0–1 (imgix `fp-x`, `rect` positions).
  static func unitFraction(_ text: Substring) -> Int? {
    guard let fraction = FixedPoint.parse(text), fraction <= FixedPoint.one else { return nil }
    return fraction
  }
}

extension Array where Element: Equatable {
  /// The elements in order, each kept once.
  var withoutDuplicates: [Element] {
    var seen: [Element] = []
    for element in self where !seen.contains(element) { seen.append(element) }
    return seen
  }
}
