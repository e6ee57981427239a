import Foundation
import Halftone
import HalftoneCore

/// Writes the JSON Lines report as outcomes arrive, so a killed run still leaves a usable report.
final class ReportWriter {
  private let handle: FileHandle
  private let encoder: JSONEncoder

  init(path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      throw CommandFailure.usage("cannot write the report to \(path)")
    }
    self.handle = handle
    encoder = HalftoneJSON.encoder()
  }

  func write(_ outcome: ReferenceOutcome) {
    guard let line = try? encoder.encode(outcome) else { return }
    handle.write(line + Data("\n".utf8))
  }

  func close() throws {
    try handle.close()
  }
}
