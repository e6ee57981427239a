import Foundation

/// The image references in a set of article records, read lazily and in a stable order.
///
/// Give it files, directories (walked recursively, entries sorted, only `.md`/`.markdown`,
/// `.yaml`/`.yml`, `.json`, `.jsonl`/`.ndjson` files read) and `-` for standard input. It yields
/// every image in `images[]` and `related[].images[]` as a `.reference`, and every record, image
/// entry or file that cannot be read as a `.problem` with its file and line; one bad entry never
/// stops the rest. Memory does not grow with the number of records: JSON Lines is read line by
/// line, other files one at a time, and directories listed as the walk reaches them.
///
/// ```swift
/// for item in RecordStream(paths: ["archive/"]) {
///   switch item {
///   case .reference(let image): prefetch(image)
///   case .problem(let problem): report(problem)
///   }
/// }
/// ```
public struct RecordStream: Sequence, Sendable {
  /// The paths as given; `-` is standard input.
  public let paths: [String]
  /// The bounds applied while reading.
  public let limits: RecordLimits
  private let standardInput: FileHandle

  /// - Parameters:
  ///   - paths: files, directories and `-` (standard input), read in this order.
  ///   - standardInput: what `-` reads (injectable for tests).
  ///   - limits: size and count bounds.
  public init(
    paths: [String], standardInput: FileHandle = .standardInput, limits: RecordLimits = .default
  ) {
    self.paths = paths
    self.standardInput = standardInput
    self.limits = limits
  }

  public func makeIterator() -> RecordIterator {
    RecordIterator(paths: paths, standardInput: standardInput, limits: limits)
  }

  /// How many references the paths hold, for a progress estimate before the real run. Streams
  /// like the real run. Standard input (`-`) is skipped: it can be read only once.
  public static func countReferences(paths: [String], limits: RecordLimits = .default) -> Int {
    var count = 0
    for item in RecordStream(paths: paths.filter { $0 != "-" }, limits: limits)
    where item.reference != nil {
      count += 1
    }
    return count
  }
}

/// Walks a `RecordStream`'s inputs, holding at most one open file and one record's items.
public final class RecordIterator: IteratorProtocol {
  private var walker: PathWalker
  private var source: RecordFileReader?
  private let standardInput: FileHandle
  private let limits: RecordLimits

  init(paths: [String], standardInput: FileHandle, limits: RecordLimits) {
    self.walker = PathWalker(paths: paths, maxDepth: limits.maxDirectoryDepth)
    self.standardInput = standardInput
    self.limits = limits
  }

  /// The next reference or problem, or nil when every input has been read.
  public func next() -> RecordItem? {
    while true {
      if let item = source?.next() { return item }
      source = nil  // closes the finished file before the next one is opened
      guard let path = walker.next() else { return nil }
      source = RecordFileOpener.open(path, standardInput: standardInput, limits: limits)
    }
  }
}
