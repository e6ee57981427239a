/// The bounds every spec is checked against (security by default: every size and count bounded).
enum Limits {
  /// Largest output side, after `dpr`: width and height must be 1...8192.
  static let maxOutputSide = 8192
  /// Quality: 1...100.
  static let quality = 1...100
  /// Device pixel ratio (and Photon `zoom`), as millionths: 1...10, decimals allowed.
  static let dpr = FixedPoint.one...(10 * FixedPoint.one)
  /// Longest URL or bare spec read; longer input is refused before parsing.
  static let maxTextLength = 8192
  /// Most query parameters read from one URL.
  static let maxParameters = 64
  /// Largest percentage accepted in a length (`1000p` = ten times the reference).
  static let maxShare = 10 * FixedPoint.one
}
