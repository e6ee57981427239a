import HalftoneCore
import HalftoneFetch

/// Why no archive gave an image for a reference, or an archive could not be asked.
///
/// Kinds: `not_archived` (no usable capture: none, only revisits or non-images, a capture of a
/// 404), `archive_unavailable` (the archive failed, is rate-limiting us, or its circuit is open),
/// `archive_mismatch` (every capture tried had bytes that did not match their index digest);
/// `invalid_url` for an `--archive` value that is no archive.
public struct ArchiveError: HalftoneError, Hashable {
  public var kind: ErrorKind
  public var message: String
  /// The origin's failure that sent the reference to the archives: reported beside this one.
  public var origin: FetchError?

  public init(kind: ErrorKind, message: String, origin: FetchError? = nil) {
    self.kind = kind
    self.message = message
    self.origin = origin
  }
}
