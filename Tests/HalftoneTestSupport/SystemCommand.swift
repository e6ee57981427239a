import Foundation

/// Runs a system command (`/bin/mount …`) with its output discarded; whether it exited 0. For
/// tests that need a real condition the process cannot make alone, e.g. a tiny tmpfs to fill.
@discardableResult
public func runSystemCommand(_ arguments: String...) -> Bool {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: arguments[0])
  process.arguments = Array(arguments.dropFirst())
  process.standardError = FileHandle.nullDevice
  process.standardOutput = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}
