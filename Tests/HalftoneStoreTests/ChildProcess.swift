import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// Runs one test of this very test bundle in a separate process, so tests can kill a real writer
/// or run two at once. The child test skips itself unless its environment variable is set.
final class ChildProcess {
  static let marker = "HALFTONE-CHILD"

  let process = Process()
  private let pipe = Pipe()
  private var buffered = Data()

  /// - Parameter test: e.g. `HalftoneStoreTests.CrashWriterChild/testWriterLoop`.
  init(test: String, environment: [String: String]) throws {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = [test]
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  /// Reads the child's output until a protocol line equal to `line` arrives; `false` if the
  /// child ended first.
  func waitFor(_ line: String) -> Bool { waitFor(prefix: line + "\n") }

  /// Reads the child's output until a protocol line starting with `prefix` arrives; `false` if
  /// the child ended first.
  func waitFor(prefix: String) -> Bool {
    let wanted = Data("\(Self.marker) \(prefix)".utf8)
    while buffered.range(of: wanted) == nil {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { return false }
      buffered.append(chunk)
    }
    return true
  }

  func kill() { _ = Glibc.kill(process.processIdentifier, SIGKILL) }

  /// Waits for the child to end and returns its protocol lines (without the marker).
  func finish() -> [String] {
    buffered.append(pipe.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    return String(decoding: buffered, as: UTF8.self)
      .split(separator: "\n")
      .filter { $0.hasPrefix(Self.marker + " ") }
      .map { String($0.dropFirst(Self.marker.count + 1)) }
  }

  /// Everything the child printed, for failure messages.
  var transcript: String { String(decoding: buffered, as: UTF8.self) }

  /// In the child: one protocol line on stdout, unbuffered (a SIGKILL loses no printed line).
  static func emit(_ line: String) {
    FileHandle.standardOutput.write(Data("\(marker) \(line)\n".utf8))
  }
}
