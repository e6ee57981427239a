// Small text helpers for messages and header values.

/// `"text"` with control characters escaped, for messages.
func quoted(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars.prefix(300) {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case _ where scalar.value < 0x20 || scalar.value == 0x7F:
      out += "\\u{\(String(scalar.value, radix: 16))}"
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + (text.unicodeScalars.count > 300 ? "…\"" : "\"")
}

/// Whether `text` holds CR, LF or NUL (checked per scalar: "\r\n" is one `Character`), which
/// would let a value smuggle extra header lines into a request.
func containsLineBreak(_ text: String) -> Bool {
  text.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
}
