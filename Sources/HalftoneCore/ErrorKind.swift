/// The kind of a failure, as it appears in reports, JSON output and HTTP error bodies.
///
/// Every stage's typed error maps onto exactly one kind, so a user (or a script reading a report)
/// can act on the kind without parsing messages. Raw values are stable and part of the public API.
public enum ErrorKind: String, Sendable, Codable, CaseIterable, Hashable {
  // Records
  case invalidRecord = "invalid_record"
  // URLs and specs
  case invalidURL = "invalid_url"
  case unsupportedScheme = "unsupported_scheme"
  case invalidSpec = "invalid_spec"
  // Fetch
  case blockedAddress = "blocked_address"
  case dns
  case connect
  case timeout
  case httpStatus = "http_status"
  case tooLarge = "too_large"
  case tooManyRedirects = "too_many_redirects"
  case redirectRefused = "redirect_refused"
  case network
  // Web archives (the fallback for images gone from their origin)
  case notArchived = "not_archived"
  case archiveUnavailable = "archive_unavailable"
  case archiveMismatch = "archive_mismatch"
  // Imaging
  case notAnImage = "not_an_image"
  case corruptImage = "corrupt_image"
  case unsupportedFormat = "unsupported_format"
  case tooManyPixels = "too_many_pixels"
  case cropOutOfBounds = "crop_out_of_bounds"
  case imaging
  // Store
  case storage
  case indexCorrupt = "index_corrupt"
  case indexTooNew = "index_too_new"
  // Anything else (a bug): reported rather than crashing the run.
  case `internal`
}

/// An error that knows its report kind and has a message a user can act on.
public protocol HalftoneError: Error, CustomStringConvertible, Sendable {
  /// The stable kind reported for this error.
  var kind: ErrorKind { get }
  /// A one-line, specific message: what failed, on what input, and what to do if it is not obvious.
  var message: String { get }
}

extension HalftoneError {
  public var description: String { "\(kind.rawValue): \(message)" }
}
