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
/// Block scalar (`|`, `>`) content is skipped, and anchors and tags are read with libyaml's own
/// character sets, so neither can hide structure.
struct YAMLNestingGuard {
  /// Open block indentation levels, outermost first: each level's indentation and the estimated
  /// depth of the deepest node started on a line at that indentation.
  private var levels: [(indent: Int, depth: Int)] = []
  private var flowDepth = 0
  /// The quote character of a quoted scalar still open at the end of the previous line.
  private var openQuote: UInt8?
  /// While set, lines indented deeper than this are block scalar content.
  private var blockScalarParent: Int?
  /// Whether the previous line ended where a new node may start (after `key:`, `- `, `[`, `,`…)
  /// rather than inside a plain scalar that may continue on this line.
  private var endedAtNodeStart = true

  /// The 1-based line of `text` whose estimated nesting first exceeds `limit`, or nil.
  static func firstLineTooDeep(in text: String, limit: Int) -> Int? {
    var scanner = YAMLNestingGuard()
    var number = 0
    for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
      number += 1
      if scanner.depth(ofLine: Array(line)) > limit { return number }
    }
    return nil
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
    if let parent = blockScalarParent {
      if blank || indent > parent { return 0 }
      blockScalarParent = nil
    }
    if openQuote == nil, isDocumentMarker(line) {
      // libyaml ends every open collection at a document marker, even inside a flow collection.
      levels = []
      flowDepth = 0
      endedAtNodeStart = true
      let (indicators, deepestFlow) = scanTokens(line, from: 3)
      return 2 + indicators + 2 * deepestFlow
    }
    let startsBlockLine =
      openQuote == nil && flowDepth == 0 && !blank && line[indent] != UInt8(ascii: "#")
    guard startsBlockLine else {
      // Inside a flow collection or a quoted scalar begun above, or a blank or comment line.
      let (indicators, deepestFlow) = scanTokens(line, from: 0)
      return (levels.last?.depth ?? 2) + indicators + 2 * deepestFlow
    }
    while let last = levels.last, last.indent > indent { levels.removeLast() }
    let enclosing = levels.last { $0.indent < indent }?.depth ?? 0
    let (indicators, deepestFlow) = scanTokens(line, from: indent)
    let lineDepth = enclosing + 2 + indicators
    if let last = levels.indices.last, levels[last].indent == indent {
      levels[last].depth = max(levels[last].depth, lineDepth)
    } else {
      levels.append((indent, lineDepth))
    }
    return lineDepth + 2 * deepestFlow
  }

  private func isDocumentMarker(_ line: [UInt8]) -> Bool {
    guard line.count >= 3, line[0] == line[1], line[1] == line[2],
      line[0] == UInt8(ascii: "-") || line[0] == UInt8(ascii: ".")
    else { return false }
    return line.count == 3 || Self.isBlank(line[3])
  }

  /// Walks the line's tokens; returns the block indicators seen and the deepest flow level reached.
  private mutating func scanTokens(_ line: [UInt8], from start: Int)
    -> (indicators: Int, deepestFlow: Int)
  {
    var indicators = 0
    var deepestFlow = flowDepth
    // Where a node may start. At the start of a block-context line a flow collection or an
    // indicator may always begin (counting one that is really plain text only over-estimates),
    // but a quote begins a quoted scalar only if the previous line did not end inside a plain
    // scalar: taking plain text for a quote would skip real structure.
    var nodeStart = openQuote == nil && (flowDepth == 0 || endedAtNodeStart)
    var quoteMayStart = openQuote == nil && endedAtNodeStart
    var tokenStart = true  // after whitespace or an indicator: where a comment may start
    var afterJSONLikeNode = false  // after a quoted scalar or `]`/`}`: `:` may follow directly
    var lastNodeColumn: Int?
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
        return (indicators, deepestFlow)
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        if quoteMayStart { openQuote = byte }
        if wasNodeStart && !inFlow { lastNodeColumn = index - 1 }
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        if inFlow || wasNodeStart {
          flowDepth += 1
          deepestFlow = max(deepestFlow, flowDepth)
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
          if !inFlow { indicators += 1 }
          nodeStart = true
          tokenStart = true
        }
      case UInt8(ascii: "-"), UInt8(ascii: "?"):
        if wasNodeStart || (inFlow && wasTokenStart) { lastNodeColumn = index - 1 }
        if (wasNodeStart || (inFlow && wasTokenStart)) && Self.isBlank(next) {
          if !inFlow { indicators += 1 }
          nodeStart = true
          tokenStart = true
        }
      case UInt8(ascii: "|") where !inFlow && wasNodeStart,
        UInt8(ascii: ">") where !inFlow && wasNodeStart:
        // The rest of the line is the block scalar header; its content follows, indented deeper
        // than the node that owns it, and is skipped.
        blockScalarParent = lastNodeColumn ?? (index - 2)
        nodeStart = true
        return (indicators, deepestFlow)
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
        if wasNodeStart && !inFlow { lastNodeColumn = index - 1 }
      }
      quoteMayStart = nodeStart
    }
    return (indicators, deepestFlow)
  }
}
