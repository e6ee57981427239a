import Foundation
import HalftoneTestSupport
import XCTest

/// Runs the built `halftone` executable as a user would, capturing its output and exit status.
struct CLIRunner {
  /// `halftone` sits next to the test bundle in the build directory.
  static let executable: URL = {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
      let url = candidate.appendingPathComponent("halftone")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return bundleDirectory.appendingPathComponent("halftone")
  }()

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `halftone arguments…` to completion.
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
    let process = start(arguments, environment: environment)
    let (out, err) = (process.standardOutput as! Pipe, process.standardError as! Pipe)
    try process.run()
    // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    DispatchQueue.global().async(group: group) {
      outData = out.fileHandleForReading.readDataToEndOfFile()
    }
    DispatchQueue.global().async(group: group) {
      errData = err.fileHandleForReading.readDataToEndOfFile()
    }
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// A configured but not started process, for tests that need to kill it.
  static func start(_ arguments: [String], environment: [String: String] = [:]) -> Process {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = halftoneChildEnvironment()
    env.removeValue(forKey: "HALFTONE_CACHE")
    env.merge(environment) { $1 }
    process.environment = env
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    return process
  }
}

/// A temporary directory removed at the end of the test.
final class TemporaryDirectory {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(at: url) }
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
