import Foundation
import HalftoneRecords
import XCTest

/// A scratch directory for one test, removed when the test ends.
final class ScratchDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("halftone-records-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: url)
  }

  /// Writes `text` to `name` (creating parent directories) and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file.path
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// The shared example records copied into Tests/Fixtures/records.
enum RecordFixtures {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // HalftoneRecordsTests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures/records", isDirectory: true)

  static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  /// The 1-based number of the first line of `file` containing `text`.
  static func line(of text: String, in file: String) throws -> Int {
    let lines = try String(contentsOfFile: file, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false)
    let index = try XCTUnwrap(lines.firstIndex { $0.contains(text) }, "\(text) not in \(file)")
    return index + 1
  }
}

/// Everything a stream yields, split by kind.
struct Collected {
  var references: [ImageReference] = []
  var problems: [RecordProblem] = []
  var items: [RecordItem] = []

  init(_ stream: RecordStream) {
    for item in stream {
      items.append(item)
      switch item {
      case .reference(let reference): references.append(reference)
      case .problem(let problem): problems.append(problem)
      }
    }
  }

  init(paths: [String], limits: RecordLimits = .default) {
    self.init(RecordStream(paths: paths, limits: limits))
  }

  var urls: [String] { references.map(\.url) }

  /// The problem at `index`, nil (rather than a crash) when there are fewer.
  func problem(_ index: Int) -> RecordProblem? {
    problems.indices.contains(index) ? problems[index] : nil
  }

  /// The message of the problem at `index`, empty when there are fewer problems.
  func message(_ index: Int) -> String { problem(index)?.message ?? "" }
}

/// One image entry in JSON Lines form.
func jsonImage(_ url: String, width: String = "640", height: String = "480") -> String {
  #"{"url":"\#(url)","width":\#(width),"height":\#(height)}"#
}
