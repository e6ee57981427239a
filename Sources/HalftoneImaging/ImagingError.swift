import HalftoneCore

/// Why an image could not be probed or thumbnailed. Every case names the input's problem so a user
/// can act: re-fetch (corrupt), fix the URL (not an image), raise a limit (too many pixels)…
public struct ImagingError: HalftoneError, Equatable {
  /// One of `.notAnImage`, `.corruptImage`, `.unsupportedFormat`, `.tooManyPixels`,
  /// `.cropOutOfBounds`, `.imaging`.
  public var kind: ErrorKind
  public var message: String

  public init(kind: ErrorKind, message: String) {
    self.kind = kind
    self.message = message
  }

  /// The bytes are no image Halftone knows (empty, HTML, PDF, text…).
  static func notAnImage(_ message: String) -> ImagingError {
    .init(kind: .notAnImage, message: message)
  }
  /// A recognised image whose data is damaged (truncated, bad header, decoder error).
  static func corrupt(_ message: String) -> ImagingError {
    .init(kind: .corruptImage, message: message)
  }
  /// A recognised format this thumbnailer refuses or cannot load.
  static func unsupported(_ message: String) -> ImagingError {
    .init(kind: .unsupportedFormat, message: message)
  }
  static func tooManyPixels(_ message: String) -> ImagingError {
    .init(kind: .tooManyPixels, message: message)
  }
  static func outOfBounds(_ message: String) -> ImagingError {
    .init(kind: .cropOutOfBounds, message: message)
  }
  /// Anything else: an invalid plan, an encoder failure.
  static func imaging(_ message: String) -> ImagingError { .init(kind: .imaging, message: message) }
}
