#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file descriptor line by line through a fixed-size buffer, so memory stays bounded by
/// the longest allowed line however long the input is. Lines end at `\n`; a trailing `\r` and a
/// UTF-8 byte order mark on line 1 are dropped.
public final class LineReader {
  /// What the reader found next.
  public enum Line {
    /// A line's bytes (without its end) and its 1-based number.
    case text([UInt8], number: Int)
    /// A line longer than the bound; its bytes were skipped.
    case tooLong(number: Int)
    /// Reading failed (an I/O error); nothing more will be read.
    case failed(number: Int, reason: String)
  }

  private static let chunkSize = 64 * 1024

  private let descriptor: Int32
  private let closesDescriptor: Bool
  private let maxLineBytes: Int
  private var buffer: [UInt8] = []
  /// The first byte of `buffer` not yet returned.
  private var start = 0
  /// Where to resume looking for a newline (bytes before it were already searched).
  private var searchFrom = 0
  private var reachedEnd = false
  /// True while skipping the rest of a line that exceeded `maxLineBytes`.
  private var skippingLongLine = false
  private var linesReturned = 0
  private var pushedBack: Line?
  private var chunk = [UInt8](repeating: 0, count: LineReader.chunkSize)

  /// - Parameter closesDescriptor: whether the reader owns `descriptor` (false for stdin).
  public init(descriptor: Int32, closesDescriptor: Bool, maxLineBytes: Int) {
    self.descriptor = descriptor
    self.closesDescriptor = closesDescriptor
    self.maxLineBytes = maxLineBytes
  }

  deinit {
    if closesDescriptor { _ = close(descriptor) }
  }

  /// Makes `line` the next one `next()` returns (used after sniffing a format).
  func pushBack(_ line: Line) {
    pushedBack = line
  }

  /// The next line, or nil at the end of the input.
  public func next() -> Line? {
    if let line = pushedBack {
      pushedBack = nil
      return line
    }
    while true {
      if let newline = findNewline() {
        let line = finishLine(upTo: newline)
        start = newline + 1
        searchFrom = start
        return line
      }
      searchFrom = buffer.count
      if buffer.count - start > maxLineBytes {
        // Too long to keep: drop what we have and skip to the line's end.
        skippingLongLine = true
        buffer.removeAll(keepingCapacity: true)
        start = 0
        searchFrom = 0
      }
      if reachedEnd {
        guard start < buffer.count || skippingLongLine else { return nil }
        let line = finishLine(upTo: buffer.count)
        start = buffer.count
        searchFrom = start
        return line
      }
      if let failure = fill() { return failure }
    }
  }

  private func findNewline() -> Int? {
    guard searchFrom < buffer.count else { return nil }
    return buffer.withUnsafeBufferPointer { bytes -> Int? in
      let base = bytes.baseAddress!
      guard let found = memchr(base + searchFrom, 0x0A, bytes.count - searchFrom) else {
        return nil
      }
      return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
  }

  private func finishLine(upTo end: Int) -> Line {
    linesReturned += 1
    if skippingLongLine {
      skippingLongLine = false
      return .tooLong(number: linesReturned)
    }
    var lower = start
    var upper = end
    if upper > lower, buffer[upper - 1] == 0x0D { upper -= 1 }
    if linesReturned == 1, upper - lower >= 3, buffer[lower] == 0xEF, buffer[lower + 1] == 0xBB,
      buffer[lower + 2] == 0xBF
    {
      lower += 3
    }
    if upper - lower > maxLineBytes { return .tooLong(number: linesReturned) }
    return .text(Array(buffer[lower..<upper]), number: linesReturned)
  }

  /// Reads one chunk; returns a failure line if the read fails.
  private func fill() -> Line? {
    if start > 0 {
      buffer.removeFirst(start)
      searchFrom -= start
      start = 0
    }
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        buffer.append(contentsOf: chunk[0..<count])
        return nil
      }
      if count == 0 {
        reachedEnd = true
        return nil
      }
      if errno == EINTR { continue }
      let reason = String(cString: strerror(errno))
      reachedEnd = true
      buffer.removeAll()
      start = 0
      searchFrom = 0
      skippingLongLine = false
      return .failed(number: linesReturned + 1, reason: reason)
    }
  }
}
