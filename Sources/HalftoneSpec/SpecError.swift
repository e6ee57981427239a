/// Why an image URL or a spec cannot be turned into a thumbnail plan.
///
/// `kind` is one of `.invalidURL` (empty or unparsable URL), `.unsupportedScheme` (anything but
/// http/https), `.invalidSpec` (a parameter with a bad value; `parameter` names it and `message`
/// quotes the value) or `.cropOutOfBounds` (a crop that does not fit the source, found when
/// planning).
public struct SpecError: HalftoneError, Equatable {
  public var kind: ErrorKind
  /// The parameter at fault (`crop`, `width`, `declared width`…); `nil` for errors about the URL.
  public var parameter: String?
  public var message: String

  public init(kind: ErrorKind, parameter: String? = nil, message: String) {
    self.kind = kind
    self.parameter = parameter
    self.message = message
  }

  /// A bad value: the message names the parameter, quotes the value and says what is accepted.
  static func invalidSpec(_ parameter: String, _ value: String, _ expected: String) -> SpecError {
    SpecError(
      kind: .invalidSpec, parameter: parameter,
      message: "invalid \(parameter)=\(quoted(value)): \(expected)")
  }

  static func invalidURL(_ url: String, _ reason: String) -> SpecError {
    SpecError(kind: .invalidURL, message: "invalid URL \(quoted(url)): \(reason)")
  }

  static func unsupportedScheme(_ scheme: String, url: String) -> SpecError {
    SpecError(
      kind: .unsupportedScheme,
      message:
        "unsupported scheme '\(scheme)' in \(quoted(url)): only http and https can be fetched")
  }

  static func cropOutOfBounds(
    _ parameter: String, region: PixelRect, image: PixelRect, hint: String? = nil
  ) -> SpecError {
    SpecError(
      kind: .cropOutOfBounds, parameter: parameter,
      message: "\(parameter) region \(region) lies outside the \(image.width)x\(image.height) image"
        + (hint.map { "; \($0)" } ?? ""))
  }

  /// Long values are cut so one bad URL cannot flood a report.
  private static func quoted(_ text: String) -> String {
    let limit = 200
    if text.count <= limit { return "'\(text)'" }
    return "'\(text.prefix(limit))…'"
  }
}
