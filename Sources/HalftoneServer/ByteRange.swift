/// What a `Range` request header asks of a representation of a known length (RFC 9110 §14).
enum RangeRequest: Equatable {
  /// No usable single range: serve the whole representation with 200. This covers no header,
  /// a unit other than `bytes`, syntax errors (which RFC 9110 says to ignore) and multiple
  /// ranges (answering `multipart/byteranges` is optional; the whole body is a valid answer).
  case whole
  /// One satisfiable range: serve these bytes with 206.
  case partial(ClosedRange<Int>)
  /// A well-formed single range that lies beyond the end: 416 with `Content-Range: bytes */len`.
  case unsatisfiable

  /// Longest `Range` header read; longer ones are ignored (served whole).
  static let maxHeaderLength = 256

  /// Reads `bytes=a-b`, `bytes=a-` and `bytes=-n` against a representation of `length` bytes.
  init(header: String?, length: Int) {
    guard let header, header.utf8.count <= Self.maxHeaderLength else {
      self = .whole
      return
    }
    let trimmed = header.trimmingSpaces
    guard trimmed.lowercased().hasPrefix("bytes=") else {
      self = .whole
      return
    }
    let spec = trimmed.dropFirst("bytes=".count).trimmingSpaces
    guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
      self = .whole
      return
    }
    let first = spec[..<dash].trimmingSpaces
    let last = spec[spec.index(after: dash)...].trimmingSpaces
    switch (Self.number(first), Self.number(last)) {
    case (let start?, let end?):
      guard start <= end else {
        self = .whole  // invalid syntax: ignored
        return
      }
      guard start < length else {
        self = .unsatisfiable
        return
      }
      self = .partial(start...min(end, length - 1))
    case (let start?, nil) where last.isEmpty:
      self = start < length ? .partial(start...(length - 1)) : .unsatisfiable
    case (nil, let suffix?) where first.isEmpty:
      guard suffix > 0, length > 0 else {
        self = .unsatisfiable
        return
      }
      self = .partial(max(0, length - suffix)...(length - 1))
    default:
      self = .whole
    }
  }

  /// A non-negative decimal without sign or spaces; values beyond `Int` saturate (a range end
  /// past the end of any file is still a valid range end).
  private static func number(_ text: Substring) -> Int? {
    guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
    return Int(text) ?? Int.max
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs (HTTP optional whitespace).
  var trimmingSpaces: Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let start = firstIndex(where: { !isSpace($0) }) else { return Substring() }
    let end = lastIndex(where: { !isSpace($0) })!
    return Substring(self[start...end])
  }
}
