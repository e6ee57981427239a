/// Refuses YAML nested deeper than a bound before Yams sees it.
///
/// Yams composes documents recursively, a chain of stack frames a level: a few thousand levels
/// (`[[[[…` or `- - - -…`, a few kilobytes of text) overflow the stack and kill the process. This
/// scan over-estimates the nesting depth of each line, never under-estimates it, so it may refuse
/// a pathological but valid document and never lets a crashing one through:
/// - block nesting: a line's nodes sit inside those of the nearest line above it that is less
///   indented; each line adds 2 (a sequence may share its parent key's indentation) plus one per
///   `- `, `? ` and `: ` indicator on it (`- - k: v` nests three deep on one line);
/// - flow nesting: 2 × the `[`/`{` open outside quoted scalars and comments (`[a: [b: c]]` nests a
///   one-pair mapping in each sequence; in block context a bracket counts only where a node can
///   start, since `Title [video]` is a plain scalar). Indicators inside flow collections add no
///   depth of their own and are not counted.
/// Block scalar (`|`, `>`) content is skipped by libyaml's own indentation rules, and anchors and
/// tags are read with libyaml's own character sets, so neither can hide structure.
struct YAMLNestingGuard {
  /// Open block indentation levels, outermost first: each level's indentation, the estimated
  /// depth of the deepest node started on a line at that indentation, and the column of the
  /// innermost block collection on the latest such line.
  private var levels: [(indent: Int, depth: Int, collection: Int)] = []
  private var flowDepth = 0
  /// The quote character of a quoted scalar still open at the end of the previous line.
  private var openQuote: UInt8?
  /// The block scalar (`|`, `>`) whose content lines are being skipped, if any.
  private var blockScalar: BlockScalar?

  private enum BlockScalar {
    /// Before its first non-blank line: a line indented at least `minimum` is content and sets
    /// the content indentation.
    case detecting(minimum: Int)
    /// Lines indented at least `indent` (and blank lines) are content.
    case content(indent: Int)
  }
  /// Whether the previous line ended where a new node may start (after `key:`, `- `, `[`, `,`…)
  /// rather than inside a plain scalar that may continue on this line.
  private var endedAtNodeStart = true

  /// The 1-based line of `text` whose estimated nesting first exceeds `limit`, or nil.
  static func firstLineTooDeep(in text: String, limit: Int) -> Int? {
    var scanner = YAMLNestingGuard()
    var number = 0
    var tooDeep: Int?
    forEachLine(of: text) { line in
      number += 1
      if scanner.depth(ofLine: line) > limit { tooDeep = number }
      return tooDeep == nil
    }
    return tooDeep
  }

  /// Calls `body` with each line of `text`, split where libyaml splits lines: at `\n`, `\r`,
  /// `\r\n`, NEL, LS and PS. Stops when `body` returns false.
  private static func forEachLine(of text: String, _ body: ([UInt8]) -> Bool) {
    let bytes = Array(text.utf8)
    var start = 0
    var index = 0
    while index < bytes.count {
      let breakLength: Int
      switch bytes[index] {
      case 0x0A: breakLength = 1
      case 0x0D: breakLength = index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
      case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: breakLength = 2  // NEL
      case 0xE2
      where index + 2 < bytes.count && bytes[index + 1] == 0x80
        && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
        breakLength = 3  // LS, PS
      default:
        index += 1
        continue
      }
      guard body(Array(bytes[start..<index])) else { return }
      index += breakLength
      start = index
    }
    _ = body(Array(bytes[start...]))
  }

  private static let space: UInt8 = 0x20
  private static let tab: UInt8 = 0x09
  private static let carriageReturn: UInt8 = 0x0D
  private static let flowIndicators: Set<UInt8> = Set(",[]{}".utf8)
  /// libyaml's anchor name characters.
  private static let anchorCharacters: Set<UInt8> = Set(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-".utf8)
  /// libyaml's tag characters outside `!<…>`: URI characters except `,`, `[` and `]`.
  private static let tagCharacters: Set<UInt8> = anchorCharacters.union(";/?:@&=+$.%!~*'()".utf8)

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == space || byte == tab || byte == carriageReturn
  }

  /// The estimated depth of the deepest node on `line`, updating the state carried across lines.
  private mutating func depth(ofLine line: [UInt8]) -> Int {
    let indent = line.prefix(while: { $0 == Self.space }).count
    let blank = line.allSatisfy(Self.isBlank)
    if isDocumentMarker(line) {
      // libyaml ends every open collection and block scalar at a document marker, even inside a
      // flow collection (and stops with an error inside a quoted scalar).
      levels = []
      flowDepth = 0
      openQuote = nil
      blockScalar = nil
      endedAtNodeStart = true
      let scan = scanTokens(line, from: 3, enclosingCollection: -1)
      return 2 + scan.indicators + 2 * scan.deepestFlow
    }
    switch blockScalar {
    case nil: break
    case .detecting(let minimum):
      if blank { return 0 }
      if indent >= minimum {
        blockScalar = .content(indent: indent)
        return 0
      }
      blockScalar = nil  // an empty block scalar; this line is structure
    case .content(let contentIndent):
      if blank || indent >= contentIndent { return 0 }
      blockScalar = nil
    }
    let startsBlockLine =
      openQuote == nil && flowDepth == 0 && !blank && line[indent] != UInt8(ascii: "#")
    guard startsBlockLine else {
      // Inside a flow collection or a quoted scalar begun above, or a blank or comment line.
      let scan = scanTokens(line, from: 0, enclosingCollection: levels.last?.collection ?? -1)
      return (levels.last?.depth ?? 2) + scan.indicators + 2 * scan.deepestFlow
    }
    while let last = levels.last, last.indent > indent { levels.removeLast() }
    let enclosing = levels.last { $0.indent < indent }?.depth ?? 0
    let scan = scanTokens(line, from: indent, enclosingCollection: levels.last?.collection ?? -1)
    let lineDepth = enclosing + 2 + scan.indicators
    let collection = scan.collectionColumn ?? indent
    if let last = levels.indices.last, levels[last].indent == indent {
      levels[last].depth = max(levels[last].depth, lineDepth)
      levels[last].collection = collection
    } else {
      levels.append((indent, lineDepth, collection))
    }
    return lineDepth + 2 * scan.deepestFlow
  }

  private func isDocumentMarker(_ line: [UInt8]) -> Bool {
    guard line.count >= 3, line[0] == line[1], line[1] == line[2],
      line[0] == UInt8(ascii: "-") || line[0] == UInt8(ascii: ".")
    else { return false }
    return line.count == 3 || Self.isBlank(line[3])
  }

  /// What one line holds.
  private struct LineScan {
    /// `- `, `? ` and `: ` indicators in block context.
    var indicators = 0
    /// The deepest flow level reached.
    var deepestFlow = 0
    /// The column of the innermost block collection begun on the line (a key's or a `-`'s).
    var collectionColumn: Int?
  }

  /// Walks the line's tokens. `enclosingCollection` is the column of the innermost block
  /// collection open before the line (-1 for none), which a block scalar's content is indented
  /// past.
  private mutating func scanTokens(_ line: [UInt8], from start: Int, enclosingCollection: Int)
    -> LineScan
  {
    var scan = LineScan(deepestFlow: flowDepth)
    // Where a node may start. At the start of a block-context line a flow collection or an
    // indicator may always begin (counting one that is really plain text only over-estimates),
    // but a quote begins a quoted scalar only if the previous line did not end inside a plain
    // scalar: taking plain text for a quote would skip real structure.
    var nodeStart = openQuote == nil && (flowDepth == 0 || endedAtNodeStart)
    var quoteMayStart = openQuote == nil && endedAtNodeStart
    var tokenStart = true  // after whitespace or an indicator: where a comment may start
    var afterJSONLikeNode = false  // after a quoted scalar or `]`/`}`: `:` may follow directly
    var nodeColumn: Int?  // where the latest block node (a key, perhaps) starts
    var index = start
    defer { endedAtNodeStart = nodeStart }
    while index < line.count {
      let byte = line[index]
      index += 1
      if let quote = openQuote {
        if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
          index += 1  // an escaped character
        } else if byte == quote {
          if quote == UInt8(ascii: "'"), index < line.count, line[index] == quote {
            index += 1  // '' is an escaped single quote
          } else {
            openQuote = nil
            afterJSONLikeNode = true
          }
        }
        continue
      }
      if Self.isBlank(byte) {
        tokenStart = true
        continue
      }
      let inFlow = flowDepth > 0
      let next = index < line.count ? line[index] : Self.space
      let wasNodeStart = nodeStart
      let wasTokenStart = tokenStart
      let wasAfterJSONLikeNode = afterJSONLikeNode
      nodeStart = false
      tokenStart = false
      afterJSONLikeNode = false
      switch byte {
      case UInt8(ascii: "#") where wasTokenStart:
        nodeStart = wasNodeStart
        return scan
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        if quoteMayStart { openQuote = byte }
        if wasNodeStart && !inFlow { nodeColumn = index - 1 }
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        if inFlow || wasNodeStart {
          flowDepth += 1
          scan.deepestFlow = max(scan.deepestFlow, flowDepth)
          nodeStart = true
          tokenStart = true
        }
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        if inFlow {
          flowDepth -= 1
          afterJSONLikeNode = true
        }
      case UInt8(ascii: ","):
        nodeStart = inFlow
        tokenStart = inFlow
      case UInt8(ascii: ":"):
        if Self.isBlank(next)
          || (inFlow && (wasAfterJSONLikeNode || Self.flowIndicators.contains(next)))
        {
          if !inFlow {
            scan.indicators += 1
            scan.collectionColumn = nodeColumn ?? scan.collectionColumn  // the key's mapping
          }
          nodeStart = true
          tokenStart = true
        }
      case UInt8(ascii: "-"), UInt8(ascii: "?"):
        // Only where a node starts: inside a plain scalar (`a - b`, even in a flow collection)
        // a dash or question mark is text.
        if wasNodeStart && !inFlow { nodeColumn = index - 1 }
        if wasNodeStart && Self.isBlank(next) {
          if !inFlow {
            scan.indicators += 1
            scan.collectionColumn = index - 1
          }
          nodeStart = true
          tokenStart = true
        }
      case UInt8(ascii: "|") where !inFlow && wasNodeStart,
        UInt8(ascii: ">") where !inFlow && wasNodeStart:
        // The rest of the line is the block scalar header. Its content follows, indented past the
        // collection holding it: by the header's indentation digit if any, else by as much as
        // its first non-blank line (libyaml's rules).
        let parent = scan.collectionColumn ?? enclosingCollection
        let digit = line[index...].prefix(2).first { $0 >= 0x31 && $0 <= 0x39 }
        if let digit {
          blockScalar = .content(indent: max(parent, 0) + Int(digit - 0x30))
        } else {
          blockScalar = .detecting(minimum: max(parent + 1, 1))
        }
        nodeStart = true
        return scan
      case UInt8(ascii: "&") where wasNodeStart, UInt8(ascii: "!") where wasNodeStart:
        // An anchor or tag: a node still starts after it. Its name is skipped exactly as libyaml
        // reads it, so a quote or bracket in it is not taken for structure (or missed).
        if byte == UInt8(ascii: "&") {
          while index < line.count, Self.anchorCharacters.contains(line[index]) { index += 1 }
        } else if index < line.count, line[index] == UInt8(ascii: "<") {
          // A verbatim tag, `!<…>`: everything up to and including the `>`.
          while index < line.count, line[index] != UInt8(ascii: ">") { index += 1 }
          index += 1
        } else {
          while index < line.count, Self.tagCharacters.contains(line[index]) { index += 1 }
        }
        nodeStart = true
      default:
        if wasNodeStart && !inFlow { nodeColumn = index - 1 }
      }
      quoteMayStart = nodeStart
    }
    return scan
  }
}
