import Foundation

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

/// The head of the last response a transfer received, built from libcurl's header callback one
/// line at a time (a redirect hop or a `100 Continue` starts over at its status line).
struct ResponseHead {
  var status = 0
  var reason = ""
  /// Values by lowercased name; repeated fields joined with ", ".
  var headers: [String: String] = [:]

  mutating func take(_ raw: String) {
    let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
      headers = [:]
      let parts = line.split(separator: " ", maxSplits: 2)
      status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
      reason = parts.count > 2 ? String(parts[2]) : ""
      return
    }
    guard let colon = line.firstIndex(of: ":") else { return }
    let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    headers[name] = headers[name].map { "\($0), \(value)" } ?? value
  }
}
