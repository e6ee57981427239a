import Foundation
import HalftoneCore
import Logging

/// Reads `HALFTONE_…` environment variables for `halftone serve` and `halftone sign`; a flag on
/// the command line always wins over its variable.
///
/// | variable | flag |
/// |---|---|
/// | `HALFTONE_CACHE` | `--cache` |
/// | `HALFTONE_HOST` | `--host` |
/// | `HALFTONE_PORT` | `--port` |
/// | `HALFTONE_SIGNING_KEY_FILE` | `--signing-key-file` |
/// | `HALFTONE_ON_DEMAND` (1/0) | `--on-demand` / `--no-on-demand` |
/// | `HALFTONE_ALLOW_PRIVATE_ADDRESSES` (1/0) | `--allow-private-addresses` |
/// | `HALFTONE_QUEUE` | `--queue` |
/// | `HALFTONE_WORKERS` | `--workers` |
/// | `HALFTONE_DEADLINE` | `--deadline` |
/// | `HALFTONE_MEMORY_CACHE_MB` | `--memory-cache-mb` |
/// | `HALFTONE_LOG_LEVEL` | `--log-level` |
/// | `HALFTONE_ACCESS_LOG` (FILE, `-`, `off`) | `--access-log` |
/// | `HALFTONE_FETCH` (master/as-written) | `serve --fetch` |
/// | `HALFTONE_BASE` | `halftone sign --base` |
public struct ServerEnvironment: Sendable {
  public var variables: [String: String]

  public init(_ variables: [String: String] = ProcessInfo.processInfo.environment) {
    self.variables = variables
  }

  /// The variable's value; `nil` when unset or empty.
  public func string(_ name: String) -> String? {
    guard let value = variables[name], !value.isEmpty else { return nil }
    return value
  }

  /// `1`, `true`, `yes`, `on` → true; `0`, `false`, `no`, `off` → false; unset → `nil`.
  public func bool(_ name: String) throws(ServerSetupError) -> Bool? {
    guard let value = string(name) else { return nil }
    switch value.lowercased() {
    case "1", "true", "yes", "on": return true
    case "0", "false", "no", "off": return false
    default:
      throw ServerSetupError("\(name)=\(value): expected 1 or 0 (true/false, yes/no, on/off)")
    }
  }

  public func int(_ name: String) throws(ServerSetupError) -> Int? {
    guard let value = string(name) else { return nil }
    guard let number = Int(value) else {
      throw ServerSetupError("\(name)=\(value): expected a whole number")
    }
    return number
  }

  public func seconds(_ name: String) throws(ServerSetupError) -> Double? {
    guard let value = string(name) else { return nil }
    guard let number = Double(value), number.isFinite else {
      throw ServerSetupError("\(name)=\(value): expected a number of seconds")
    }
    return number
  }
}

/// Process-wide logging for `halftone serve`: one line per event on stderr (the access log is
/// one `info` line per request).
public enum ServerLogging {
  /// Whether `bootstrap()` has installed the handler (swift-log allows one bootstrap a process).
  private static let bootstrapped = Locked(false)

  /// The levels `--log-level` accepts.
  public static let levels = Logger.Level.allCases.map(\.rawValue)

  /// Installs the stderr handler once per process; later calls do nothing.
  public static func bootstrap() {
    let first = bootstrapped.withLock { done in
      defer { done = true }
      return !done
    }
    guard first else { return }
    LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
  }

  /// The server's logger at `level` (`trace` … `critical`); `nil` for an unknown level.
  public static func logger(level: String) -> Logger? {
    guard let parsed = Logger.Level(rawValue: level.lowercased()) else { return nil }
    var logger = Logger(label: "halftone.server")
    logger.logLevel = parsed
    return logger
  }
}
