import Foundation
import HalftoneRecords
import XCTest

/// `-` reads standard input (injected here as a pipe), sniffing its format.
final class StandardInputTests: XCTestCase {
  /// A pipe already holding `text`, its write end closed.
  private func input(_ text: String) throws -> FileHandle {
    let pipe = Pipe()
    try pipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    try pipe.fileHandleForWriting.close()
    return pipe.fileHandleForReading
  }

  func testJSONLinesOnStandardInput() throws {
    let text =
      "\n" + #"{"images":[\#(jsonImage("http://127.0.0.1:9/1.jpg"))]}"# + "\n{bad\n"
      + #"{"images":[\#(jsonImage("http://127.0.0.1:9/2.jpg"))]}"#
    let collected = Collected(RecordStream(paths: ["-"], standardInput: try input(text)))
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/1.jpg", "http://127.0.0.1:9/2.jpg"])
    XCTAssertEqual(
      collected.references.map(\.location),
      [
        RecordLocation(file: "<stdin>", line: 2), RecordLocation(file: "<stdin>", line: 4),
      ])
    XCTAssertEqual(collected.problems.map(\.location), [RecordLocation(file: "<stdin>", line: 3)])
  }

  func testFrontMatterOnStandardInput() throws {
    let file = RecordFixtures.path("usatoday-facial-recognition.md")
    let text = try String(contentsOfFile: file, encoding: .utf8) + "\nA body.\n---\nmore\n"
    let collected = Collected(RecordStream(paths: ["-"], standardInput: try input(text)))
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.references.map(\.declaredWidth), [640])
    XCTAssertEqual(
      collected.references.first?.location.line,
      try RecordFixtures.line(of: "  - url: https://", in: file))
  }

  func testYAMLOnStandardInput() throws {
    let text = "# exported\ntitle: t\nimages:\n  - url: http://127.0.0.1:9/y.jpg\n    width: '12'\n"
    let collected = Collected(RecordStream(paths: ["-"], standardInput: try input(text)))
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.references.map(\.location.line), [4])
    XCTAssertEqual(collected.references.map(\.declaredWidth), [12])
  }

  func testStandardInputBetweenFilesAndEmptyInput() throws {
    let scratch = try ScratchDirectory()
    let file = try scratch.write("a.jsonl", #"{"images":[{"url":"http://127.0.0.1:9/file"}]}"#)
    let stdin = try input(#"{"images":[{"url":"http://127.0.0.1:9/stdin"}]}"#)
    let collected = Collected(RecordStream(paths: ["-", file, "-"], standardInput: stdin))
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/stdin", "http://127.0.0.1:9/file"])
    XCTAssertEqual(Collected(RecordStream(paths: ["-"], standardInput: try input(""))).items, [])
  }
}
