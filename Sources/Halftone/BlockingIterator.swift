import Dispatch

/// Steps a blocking iterator (record files: reads, YAML and JSON parsing) on a serial Dispatch
/// queue of its own, so reading records never blocks Swift's cooperative pool.
final class BlockingIterator<Base: Sequence>: @unchecked Sendable
where Base: SendableMetatype, Base.Iterator: SendableMetatype, Base.Element: Sendable {
  /// Touched only on `queue`.
  private var iterator: Base.Iterator
  private let queue = DispatchQueue(label: "halftone.records")

  init(_ sequence: Base) { iterator = sequence.makeIterator() }

  /// The next element, read on the iterator's queue.
  func next() async -> Base.Element? {
    await withCheckedContinuation { continuation in
      queue.async { continuation.resume(returning: self.iterator.next()) }
    }
  }
}
