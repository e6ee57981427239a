/// Where `halftone serve` writes its access log (`--access-log FILE|-|off`).
public enum AccessLogDestination: Sendable, Hashable, CustomStringConvertible {
  /// No access log.
  case off
  /// Standard output (`-`), for a supervisor or container runtime to collect.
  case standardOutput
  /// Appended to this file (created when missing).
  case file(String)

  /// `off`, `-`, or a path.
  public init?(argument: String) {
    switch argument {
    case "": return nil
    case "off": self = .off
    case "-": self = .standardOutput
    default: self = .file(argument)
    }
  }

  public var description: String {
    switch self {
    case .off: "off"
    case .standardOutput: "-"
    case .file(let path): path
    }
  }
}
