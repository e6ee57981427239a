/// Finds the top-level values of a JSON text without parsing them: the whole text when it is one
/// value, each element when it is an array. Each piece can then be parsed on its own, so one
/// broken element does not lose the others, and each knows the line it starts on.
///
/// It tracks only strings and bracket nesting; the pieces' own syntax is left to the parser.
struct JSONTopLevelSplitter {
  /// A piece of the text to parse, or a problem with the array's own structure.
  enum Piece {
    /// `bytes[range]` is a value starting on `line`; `index` is its position in the top-level
    /// array, nil when the text is a single value.
    case value(range: Range<Int>, line: Int, index: Int?)
    /// The array's structure is broken at `line`; nothing more comes.
    case broken(message: String, line: Int)
  }

  private let bytes: [UInt8]
  private var position = 0
  private var line = 1
  private var phase = Phase.start
  private var nextIndex = 0

  private enum Phase {
    case start, expectingElement, expectingSeparator, done
  }

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  mutating func next() -> Piece? {
    switch phase {
    case .done:
      return nil
    case .start:
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
      skipWhitespace()
      guard position < bytes.count else {
        phase = .done
        return .broken(message: "the file is empty; expected a JSON object or array", line: line)
      }
      guard bytes[position] == UInt8(ascii: "[") else {
        phase = .done
        return .value(range: position..<bytes.count, line: line, index: nil)
      }
      position += 1
      phase = .expectingElement
      return next()
    case .expectingElement, .expectingSeparator:
      return nextElement()
    }
  }

  private mutating func nextElement() -> Piece? {
    skipWhitespace()
    guard position < bytes.count else {
      return broken("the top-level array is never closed (no final `]`)")
    }
    let byte = bytes[position]
    if phase == .expectingSeparator {
      if byte == UInt8(ascii: ",") {
        position += 1
        phase = .expectingElement
        return nextElement()
      }
      if byte == UInt8(ascii: "]") { return finish() }
      return broken("expected `,` or `]` after element \(nextIndex - 1) of the top-level array")
    }
    if byte == UInt8(ascii: "]") {
      if nextIndex == 0 { return finish() }
      return broken("a trailing `,` before the final `]` of the top-level array")
    }
    if byte == UInt8(ascii: ",") {
      return broken("element \(nextIndex) of the top-level array is empty")
    }
    let start = position
    let startLine = line
    if let problem = skipValue() { return broken(problem) }
    phase = .expectingSeparator
    nextIndex += 1
    return .value(range: start..<position, line: startLine, index: nextIndex - 1)
  }

  private mutating func finish() -> Piece? {
    position += 1
    skipWhitespace()
    if position < bytes.count { return broken("unexpected text after the top-level array's `]`") }
    phase = .done
    return nil
  }

  private mutating func broken(_ message: String) -> Piece {
    phase = .done
    return .broken(message: message, line: line)
  }

  private mutating func skipWhitespace() {
    while position < bytes.count, JSONText.isWhitespace(bytes[position]) {
      if bytes[position] == 0x0A { line += 1 }
      position += 1
    }
  }

  /// Moves past one value: a string, a balanced object or array, or a bare scalar (whose syntax
  /// the parser checks). Returns a problem when brackets do not match or never close.
  private mutating func skipValue() -> String? {
    let startLine = line
    let element = "element \(nextIndex) (from line \(startLine))"
    switch bytes[position] {
    case UInt8(ascii: "\""):
      return skipString() ? nil : "a string in \(element) is never closed"
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var closers: [UInt8] = []
      while position < bytes.count {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "\""):
          guard skipString() else { return "a string in \(element) is never closed" }
          continue
        case UInt8(ascii: "{"): closers.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["): closers.append(UInt8(ascii: "]"))
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          guard closers.last == byte else {
            let expected = closers.last.map { "`\(Character(Unicode.Scalar($0)))`" } ?? "nothing"
            return "a `\(Character(Unicode.Scalar(byte)))` at line \(line) where \(expected) "
              + "should close \(element)"
          }
          closers.removeLast()
        case 0x0A: line += 1
        default: break
        }
        position += 1
        if closers.isEmpty { return nil }
      }
      return "\(element) is never closed"
    default:
      while position < bytes.count, !JSONText.isWhitespace(bytes[position]),
        bytes[position] != UInt8(ascii: ","), bytes[position] != UInt8(ascii: "]")
      {
        position += 1
      }
      return nil
    }
  }

  /// Moves past the string starting at `position`; false if it never closes.
  private mutating func skipString() -> Bool {
    position += 1
    while position < bytes.count {
      switch bytes[position] {
      case UInt8(ascii: "\\"): position += 2
      case UInt8(ascii: "\""):
        position += 1
        return true
      case 0x0A:
        line += 1
        position += 1
      default: position += 1
      }
    }
    return false
  }
}
