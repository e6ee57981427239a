import Foundation
import HalftoneCore

/// The version printed by `halftone --version` and sent in the User-Agent.
enum HalftoneVersion {
  static let string = "0.2.0"
}

/// A failure a subcommand reports to the user: the error kind and a message on stderr, then an
/// exit status (1 for a failed image or check, 2 for bad usage).
struct CommandFailure: Error {
  var kind: String
  var message: String
  var exitCode: Int32

  init(kind: String, message: String, exitCode: Int32 = 1) {
    self.kind = kind
    self.message = message
    self.exitCode = exitCode
  }

  init(_ error: any HalftoneError, exitCode: Int32 = 1) {
    self.init(kind: error.kind.rawValue, message: error.message, exitCode: exitCode)
  }

  /// Bad usage: a flag value that parsed but makes no sense.
  static func usage(_ message: String) -> CommandFailure {
    CommandFailure(kind: "usage", message: message, exitCode: 2)
  }

  func report() {
    FileHandle.standardError.write(Data("halftone: \(kind): \(message)\n".utf8))
  }
}

/// Writes a value as one line of JSON on stdout (for `--json`).
func printJSON<T: Encodable>(_ value: T) {
  if let data = try? HalftoneJSON.encoder().encode(value) {
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }
}
