/// Bounds on what one `RecordStream` will read, so a hostile or broken archive cannot exhaust
/// memory, the stack or time. Anything over a bound becomes a `RecordProblem`, never a crash.
public struct RecordLimits: Sendable, Hashable {
  /// Largest `.json`/`.yaml` file, front matter or non-JSON-Lines standard input read whole.
  /// JSON Lines files are streamed and have no total bound.
  public var maxFileBytes: Int
  /// Longest single line (a JSON Lines record, or a front matter line).
  public var maxLineBytes: Int
  /// Most `images` entries read from one article (or one related article).
  public var maxImagesPerRecord: Int
  /// Most `related` entries read from one article.
  public var maxRelatedPerRecord: Int
  /// Largest declared width or height accepted, in pixels (JPEG's own limit is 65,535).
  public var maxDeclaredDimension: Int
  /// Deepest YAML nesting parsed. The YAML composer recurses once a level, so thousands of levels
  /// would overflow the stack; records need fewer than ten.
  public var maxYAMLNesting: Int
  /// Deepest directory level walked below a path given on the command line.
  public var maxDirectoryDepth: Int

  public init(
    maxFileBytes: Int = 64 << 20,
    maxLineBytes: Int = 16 << 20,
    maxImagesPerRecord: Int = 10_000,
    maxRelatedPerRecord: Int = 1_000,
    maxDeclaredDimension: Int = 65_535,
    maxYAMLNesting: Int = 64,
    maxDirectoryDepth: Int = 32
  ) {
    self.maxFileBytes = maxFileBytes
    self.maxLineBytes = maxLineBytes
    self.maxImagesPerRecord = maxImagesPerRecord
    self.maxRelatedPerRecord = maxRelatedPerRecord
    self.maxDeclaredDimension = maxDeclaredDimension
    self.maxYAMLNesting = maxYAMLNesting
    self.maxDirectoryDepth = maxDirectoryDepth
  }

  /// The defaults: 64 MiB files, 16 MiB lines, 10,000 images and 1,000 related articles a record.
  public static let `default` = RecordLimits()
}
