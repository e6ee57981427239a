import HalftoneRecords
import XCTest

/// `.md` records: YAML front matter between `---` lines; the body is never parsed.
final class FrontMatterTests: XCTestCase {
  private var scratch: ScratchDirectory!

  override func setUpWithError() throws {
    scratch = try ScratchDirectory()
  }

  override func tearDown() {
    scratch = nil
  }

  private let frontMatter = """
    ---
    title: "An article"
    sourceUrl: https://news.example/a
    images:
      - url: http://127.0.0.1:9/a.jpg
        width: 640
        height: 480
    ---
    """

  func testBodyIsIgnoredEvenWithDelimitersAndYAMLInIt() throws {
    let body = """

      # Heading

      images:
        - url: http://127.0.0.1:9/from-the-body.jpg
      ---
      images: [ { url: "http://127.0.0.1:9/also-body.jpg" } ]
      ---
      : this is not YAML at all: [
      """
    let file = try scratch.write("a.md", frontMatter + "\n" + body)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/a.jpg"])
    XCTAssertEqual(collected.references.first?.location.line, 5)
    XCTAssertEqual(collected.references.first?.article.title, "An article")
  }

  func testFileWithoutBodyOrFinalNewline() throws {
    let file = try scratch.write("a.markdown", frontMatter)
    XCTAssertEqual(Collected(paths: [file]).urls, ["http://127.0.0.1:9/a.jpg"])
  }

  func testWindowsLineEndingsAndByteOrderMark() throws {
    let text =
      "\u{FEFF}" + frontMatter.replacingOccurrences(of: "\n", with: "\r\n") + "\r\nbody\r\n"
    let file = try scratch.write("a.md", text)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.references.map(\.declaredWidth), [640])
  }

  func testMalformedYAMLIsReportedAtItsFileLine() throws {
    let bad = try scratch.write(
      "bad.md",
      """
      ---
      title: ok
      images:
        - url: "http://127.0.0.1:9/unclosed.jpg
          width: 640
      ---
      """)
    let bracket = try scratch.write(
      "bracket.md",
      """
      ---
      title: ok
      images: [ { url: http://127.0.0.1:9/x.jpg }
      sourceUrl: x
      ---
      """)
    let good = try scratch.write("good.md", frontMatter)
    let collected = Collected(paths: [bad, bracket, good])

    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/a.jpg"], "the good file is still read")
    guard collected.problems.count == 2 else { return XCTFail("\(collected.problems)") }
    let first = try XCTUnwrap(collected.problems.first)
    XCTAssertEqual(first.location.file, bad)
    XCTAssertTrue((4...6).contains(first.location.line), "\(first)")
    XCTAssertTrue(first.message.hasPrefix("malformed YAML front matter:"), first.message)
    let second = collected.problems[1]
    XCTAssertEqual(second.location.file, bracket)
    XCTAssertTrue((3...5).contains(second.location.line), "\(second)")
    XCTAssertEqual(second.kind, .invalidRecord)
  }

  func testYAMLErrorLineCountsFromTheFileNotTheFrontMatter() throws {
    // A tab cannot start indentation in YAML: libyaml reports the exact line.
    let file = try scratch.write("tab.md", "---\ntitle: ok\nimages:\n\t- url: x\n---\n")
    let problem = try XCTUnwrap(Collected(paths: [file]).problems.first)
    XCTAssertEqual(problem.location.line, 4, "\(problem)")
  }

  func testMissingOrUnclosedFrontMatterIsAProblem() throws {
    let plain = try scratch.write("readme.md", "# Just markdown\n\nimages: none\n")
    let unclosed = try scratch.write("open.md", "---\ntitle: x\nimages: []\n")
    let empty = try scratch.write("empty.md", "")
    let collected = Collected(paths: [plain, unclosed, empty])
    XCTAssertEqual(collected.references, [])
    XCTAssertEqual(
      collected.problems.map(\.location),
      [
        RecordLocation(file: plain, line: 1), RecordLocation(file: unclosed, line: 1),
        RecordLocation(file: empty, line: 1),
      ])
    XCTAssertTrue(collected.message(0).contains("no YAML front matter"))
    XCTAssertTrue(collected.message(1).contains("never closed"))
    XCTAssertTrue(collected.message(2).contains("empty"))
  }

  func testRecordWithoutImagesYieldsNothingAndNoProblem() throws {
    let file = try scratch.write("none.md", "---\ntitle: no pictures\n---\n")
    let emptyFrontMatter = try scratch.write("blank.md", "---\n---\nbody\n")
    let collected = Collected(paths: [file, emptyFrontMatter])
    XCTAssertEqual(collected.items, [])
  }
}
