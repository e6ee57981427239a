/// Just enough XML for S3's answers: the text of named elements, in document order.
///
/// S3 responses are flat, machine-written documents (`<ListBucketResult>`, `<Error>`,
/// `<InitiateMultipartUploadResult>`…) without attributes that matter, CDATA or namespaces
/// prefixes on the elements read here, so a scanner is enough and avoids a libxml2 dependency.
enum S3XML {
  /// The decoded text of every `<tag>…</tag>` in `xml`.
  static func values(_ tag: String, in xml: Substring) -> [String] {
    blocks(tag, in: xml).map { decode($0) }
  }

  /// The first `<tag>` text, if any.
  static func value(_ tag: String, in xml: Substring) -> String? {
    values(tag, in: xml).first
  }

  /// The raw inner text of every `<tag>…</tag>` (attributes on the opening tag allowed).
  static func blocks(_ tag: String, in xml: Substring) -> [Substring] {
    var found: [Substring] = []
    var rest = xml[...]
    let close = "</\(tag)>"
    while let open = rest.range(of: "<\(tag)") {
      let after = rest[open.upperBound...]
      guard let first = after.first, first == ">" || first == " " || first == "/" else {
        rest = after
        continue
      }
      guard let end = after.firstIndex(of: ">") else { break }
      let bodyStart = after.index(after: end)
      if end > after.startIndex, after[after.index(before: end)] == "/" {  // <tag/>: empty
        found.append(after[bodyStart..<bodyStart])
        rest = after[bodyStart...]
        continue
      }
      guard let closing = after[bodyStart...].range(of: close) else { break }
      found.append(after[bodyStart..<closing.lowerBound])
      rest = after[closing.upperBound...]
    }
    return found
  }

  /// Replaces the five predefined entities and numeric character references.
  static func decode(_ text: Substring) -> String {
    guard text.contains("&") else { return String(text) }
    var out = ""
    var rest = text
    while let amp = rest.firstIndex(of: "&") {
      out += rest[..<amp]
      guard let semi = rest[amp...].firstIndex(of: ";") else {
        out += rest[amp...]
        return out
      }
      let name = rest[rest.index(after: amp)..<semi]
      switch name {
      case "amp": out += "&"
      case "lt": out += "<"
      case "gt": out += ">"
      case "quot": out += "\""
      case "apos": out += "'"
      default:
        let number =
          name.hasPrefix("#x")
          ? UInt32(name.dropFirst(2), radix: 16)
          : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
        if let number, let scalar = Unicode.Scalar(number) {
          out.unicodeScalars.append(scalar)
        } else {
          out += rest[amp...semi]
        }
      }
      rest = rest[rest.index(after: semi)...]
    }
    return out + rest
  }
}
