import HalftoneCore

/// A record, image entry or input file that could not be read. The stream reports it and goes on
/// with the rest of the input.
public struct RecordProblem: Sendable, Hashable, Codable, HalftoneError {
  /// Always `.invalidRecord`: every problem found while reading records is reported as one.
  public let kind: ErrorKind
  /// What is wrong, naming the field (`images[2].width`) when there is one.
  public let message: String
  /// The file and line the problem is on (line 0: the file as a whole).
  public let location: RecordLocation
  /// The image entry's URL, when the entry has one (a problem with its size, say).
  public var url: String?
  /// The image entry's own title, when it has one.
  public var title: String?
  /// The article the entry belongs to, when the problem is inside one.
  public var article: ArticleProvenance?

  public init(
    message: String, location: RecordLocation, url: String? = nil, title: String? = nil,
    article: ArticleProvenance? = nil
  ) {
    self.kind = .invalidRecord
    self.message = message
    self.location = location
    self.url = url
    self.title = title
    self.article = article
  }

  /// `path:line: invalid_record: message`.
  public var description: String { "\(location): \(kind.rawValue): \(message)" }
}

/// One item of a `RecordStream`: an image to process, or a problem to report.
public enum RecordItem: Sendable, Hashable {
  case reference(ImageReference)
  case problem(RecordProblem)

  /// The reference, when this item is one.
  public var reference: ImageReference? {
    if case .reference(let reference) = self { reference } else { nil }
  }

  /// The problem, when this item is one.
  public var problem: RecordProblem? {
    if case .problem(let problem) = self { problem } else { nil }
  }
}
