/// One open input (a file or standard input) handing out its items one at a time.
protocol RecordFileReader: AnyObject {
  /// The next item, or nil when the input is exhausted.
  func next() -> RecordItem?
}

/// A source that yields a fixed, short list of items (a problem opening a file, say).
final class FixedRecordReader: RecordFileReader {
  private var queue: ItemQueue

  init(_ items: [RecordItem]) {
    queue = ItemQueue(items)
  }

  func next() -> RecordItem? { queue.pop() }
}

/// The items of one record, waiting to be handed out. Holds one record's worth at most.
struct ItemQueue {
  private var items: [RecordItem]
  private var index = 0

  init(_ items: [RecordItem] = []) {
    self.items = items
  }

  mutating func pop() -> RecordItem? {
    guard index < items.count else { return nil }
    defer { index += 1 }
    return items[index]
  }

  mutating func replace(with newItems: [RecordItem]) {
    items = newItems
    index = 0
  }
}

/// The records of a list (a YAML document that is a list, a JSON Lines line holding an array),
/// extracted one at a time so only one record's items are ever held.
struct RecordList {
  private let list: RecordNode
  private let count: Int
  private var nextIndex = 0

  /// Nil when `node` is not a list.
  init?(_ node: RecordNode) {
    guard let count = node.count else { return nil }
    self.list = node
    self.count = count
  }

  /// The next record's items, or nil when the list is done.
  mutating func nextItems(_ extractor: RecordExtractor) -> [RecordItem]? {
    guard nextIndex < count else { return nil }
    defer { nextIndex += 1 }
    return extractor.items(fromRecord: list.element(nextIndex), path: "[\(nextIndex)]")
  }
}
