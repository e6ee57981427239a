import Foundation
import HalftoneRecords
import XCTest

/// Directories, missing files and path order.
final class PathWalkTests: XCTestCase {
  private var scratch: ScratchDirectory!

  override func setUpWithError() throws {
    scratch = try ScratchDirectory()
  }

  override func tearDown() {
    scratch = nil
  }

  private func record(_ name: String) -> String {
    #"{"images":[{"url":"http://127.0.0.1:9/\#(name)"}]}"#
  }

  func testDirectoriesAreWalkedRecursivelyInSortedOrderReadingOnlyKnownExtensions() throws {
    try scratch.write("archive/b.jsonl", record("b"))
    try scratch.write("archive/a.json", record("a"))
    try scratch.write("archive/2021/z.md", "---\nimages:\n  - url: http://127.0.0.1:9/z\n---\n")
    try scratch.write("archive/2021/deeper/y.yml", "images: [{url: http://127.0.0.1:9/y}]\n")
    try scratch.write("archive/2020/x.ndjson", record("x"))
    try scratch.write("archive/c.markdown", "---\nimages: [{url: http://127.0.0.1:9/c}]\n---\n")
    try scratch.write("archive/d.YAML", "images: [{url: http://127.0.0.1:9/d}]\n")
    // Ignored: unknown extensions, hidden files and directories.
    try scratch.write("archive/notes.txt", record("txt"))
    try scratch.write("archive/image.jpg", "not a record")
    try scratch.write("archive/.hidden.jsonl", record("hidden"))
    try scratch.write("archive/.git/config.json", record("git"))

    let collected = Collected(paths: [scratch.path("archive")])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(
      collected.urls.map { String($0.dropFirst("http://127.0.0.1:9/".count)) },
      ["x", "y", "z", "a", "b", "c", "d"])
    XCTAssertEqual(
      collected.references.first?.location.file, scratch.path("archive/2020/x.ndjson"))
  }

  func testGivenPathsKeepTheirOrderAndMissingOnesAreProblemsAtLineZero() throws {
    let second = try scratch.write("2.jsonl", record("2"))
    let first = try scratch.write("1.jsonl", record("1"))
    let missing = scratch.path("missing.jsonl")
    let collected = Collected(paths: [second, missing, first])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/2", "http://127.0.0.1:9/1"])
    XCTAssertEqual(collected.problems.map(\.location), [RecordLocation(file: missing, line: 0)])
    XCTAssertTrue(
      collected.message(0).contains("No such file or directory"),
      collected.message(0))
    guard case .problem = collected.items[1] else {
      return XCTFail("the problem comes in its place in the stream")
    }
  }

  func testDanglingSymlinkInADirectoryIsAProblemAndALoopIsWalkedOnce() throws {
    try scratch.write("tree/a.jsonl", record("a"))
    try FileManager.default.createSymbolicLink(
      atPath: scratch.path("tree/broken.jsonl"), withDestinationPath: scratch.path("nowhere"))
    try FileManager.default.createSymbolicLink(
      atPath: scratch.path("tree/loop"), withDestinationPath: scratch.path("tree"))
    let collected = Collected(paths: [scratch.path("tree")])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/a"])
    XCTAssertEqual(
      collected.problems.map(\.location),
      [RecordLocation(file: scratch.path("tree/broken.jsonl"), line: 0)])
  }

  func testUnreadableFileIsAProblemAndTheStreamGoesOn() throws {
    try XCTSkipIf(geteuid() == 0, "root reads files whatever their permissions")
    let locked = try scratch.write("locked.jsonl", record("locked"))
    let open = try scratch.write("open.jsonl", record("open"))
    XCTAssertEqual(chmod(locked, 0), 0)
    let collected = Collected(paths: [locked, open])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/open"])
    XCTAssertEqual(collected.problems.map(\.location), [RecordLocation(file: locked, line: 0)])
    XCTAssertTrue(collected.message(0).contains("Permission denied"))
  }

  func testDirectoryGivenAsAFileExtensionIsStillWalked() throws {
    try scratch.write("looks-like.json/inner.jsonl", record("inner"))
    XCTAssertEqual(
      Collected(paths: [scratch.path("looks-like.json")]).urls, ["http://127.0.0.1:9/inner"])
  }

  func testExplicitFileWithUnknownExtensionIsSniffed() throws {
    let jsonLines = try scratch.write("export.txt", record("sniffed") + "\n" + record("again"))
    let frontMatter = try scratch.write(
      "article", "---\nimages: [{url: http://127.0.0.1:9/fm}]\n---\nbody\n---\n")
    let yaml = try scratch.write(
      "article.data", "\n\ntitle: t\nimages:\n  - url: http://127.0.0.1:9/yaml\n")
    let collected = Collected(paths: [jsonLines, frontMatter, yaml])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(
      collected.urls,
      [
        "http://127.0.0.1:9/sniffed", "http://127.0.0.1:9/again", "http://127.0.0.1:9/fm",
        "http://127.0.0.1:9/yaml",
      ])
    XCTAssertEqual(collected.references.last?.location.line, 5)
  }
}
