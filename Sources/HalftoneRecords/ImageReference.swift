/// The article an image reference came from, kept so reports can point a user back to it.
public struct ArticleProvenance: Sendable, Hashable, Codable {
  /// The article's `sourceUrl`, as written in the record.
  public var sourceURL: String?
  /// The article's `publishedDateTime`, as written in the record (not parsed).
  public var publishedDateTime: String?
  /// The article's `title`.
  public var title: String?

  public init(sourceURL: String? = nil, publishedDateTime: String? = nil, title: String? = nil) {
    self.sourceURL = sourceURL
    self.publishedDateTime = publishedDateTime
    self.title = title
  }
}

/// A place in an input file: the path as the user gave it (or as found under a directory they
/// gave) and a 1-based line. Line 0 means "the file as a whole" (for example, it cannot be read).
public struct RecordLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The path, `<stdin>` for standard input.
  public var file: String
  /// The 1-based line, or 0 when the problem concerns the whole file.
  public var line: Int

  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }

  /// `path:line`, the form editors and terminals turn into links.
  public var description: String { "\(file):\(line)" }
}

/// One image an article displays, as declared by its record. The URL is passed through exactly
/// as written: validating it is the spec stage's job.
public struct ImageReference: Sendable, Hashable, Codable {
  /// The image URL exactly as written in the record (may be empty or use any scheme).
  public var url: String
  /// The width the article displays the image at, when the record declares one.
  public var declaredWidth: Int?
  /// The height the article displays the image at, when the record declares one.
  public var declaredHeight: Int?
  /// The image's own title (caption), when the record gives one.
  public var title: String?
  /// The article showing the image: for `related[].images[]`, the related article.
  public var article: ArticleProvenance
  /// Where the image entry starts in its input file.
  public var location: RecordLocation

  public init(
    url: String, declaredWidth: Int? = nil, declaredHeight: Int? = nil, title: String? = nil,
    article: ArticleProvenance, location: RecordLocation
  ) {
    self.url = url
    self.declaredWidth = declaredWidth
    self.declaredHeight = declaredHeight
    self.title = title
    self.article = article
    self.location = location
  }
}
