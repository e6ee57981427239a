import HalftoneRecords
import XCTest

/// Bounds: oversized files and lines, too many entries, YAML nested deep enough to crash a
/// recursive parser. Each becomes a problem; the stream goes on.
final class LimitTests: XCTestCase {
  private var scratch: ScratchDirectory!

  override func setUpWithError() throws {
    scratch = try ScratchDirectory()
  }

  override func tearDown() {
    scratch = nil
  }

  private let after = #"{"images":[{"url":"http://127.0.0.1:9/after"}]}"#

  func testFilesOverTheSizeLimitAreRefusedWithAClearProblem() throws {
    var limits = RecordLimits()
    limits.maxFileBytes = 1024
    let padding = String(repeating: " ", count: 2000)
    let json = try scratch.write(
      "big.json", #"{"images":[{"url":"http://127.0.0.1:9/big"}]}"# + padding)
    let yaml = try scratch.write("big.yaml", "images: [{url: http://127.0.0.1:9/big}]\n" + padding)
    let markdown = try scratch.write(
      "big.md",
      "---\nimages: [{url: http://127.0.0.1:9/big}]\n" + String(repeating: "# pad\n", count: 400)
        + "---\n")
    let small = try scratch.write("small.jsonl", after)
    let collected = Collected(paths: [json, yaml, markdown, small], limits: limits)
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/after"])
    XCTAssertEqual(collected.problems.map(\.location.file), [json, yaml, markdown])
    XCTAssertEqual(collected.problem(0)?.location.line, 0)
    XCTAssertTrue(
      collected.message(0).contains("larger than the 1 KiB limit"), collected.message(0))
    XCTAssertTrue(collected.message(0).contains("JSON Lines"), collected.message(0))
  }

  func testBigJSONLinesFilesAreNotBoundButLongLinesAre() throws {
    var limits = RecordLimits()
    limits.maxFileBytes = 1024
    limits.maxLineBytes = 200
    let long =
      #"{"title":"\#(String(repeating: "x", count: 100_000))","#
      + #""images":[{"url":"http://127.0.0.1:9/long"}]}"#
    let lines = Array(repeating: after, count: 30) + [long, after]
    let file = try scratch.write("many.jsonl", lines.joined(separator: "\n"))
    let collected = Collected(paths: [file], limits: limits)
    XCTAssertEqual(collected.references.count, 31)
    XCTAssertEqual(collected.problems.map(\.location), [RecordLocation(file: file, line: 31)])
    XCTAssertTrue(collected.message(0).contains("longer than"), collected.message(0))
    XCTAssertEqual(collected.references.last?.location.line, 32)
  }

  func testTooManyImagesAreCappedWithAProblem() throws {
    var limits = RecordLimits()
    limits.maxImagesPerRecord = 3
    let images = (0..<5).map { #"{"url":"http://127.0.0.1:9/\#($0)"}"# }.joined(separator: ",")
    let file = try scratch.write("many.jsonl", #"{"images":[\#(images)]}"#)
    let collected = Collected(paths: [file], limits: limits)
    XCTAssertEqual(collected.references.count, 3)
    XCTAssertEqual(collected.problems.count, 1)
    XCTAssertTrue(collected.message(0).hasPrefix("images has 5 entries; only the first 3 are read"))
  }

  func testTheImageLimitCountsRelatedArticlesAndIsReportedOnce() throws {
    var limits = RecordLimits()
    limits.maxImagesPerRecord = 4
    let images = (0..<3).map { #"{"url":"http://127.0.0.1:9/\#($0)"}"# }.joined(separator: ",")
    let related = Array(repeating: #"{"images":[\#(images)]}"#, count: 5).joined(separator: ",")
    let file = try scratch.write(
      "related.jsonl", #"{"images":[\#(images)],"related":[\#(related)]}"# + "\n" + after)
    let collected = Collected(paths: [file], limits: limits)
    XCTAssertEqual(collected.references.count, 5)
    XCTAssertEqual(collected.references.map(\.location.line), [1, 1, 1, 1, 2])
    XCTAssertEqual(collected.problems.count, 1)
    XCTAssertTrue(
      collected.message(0).hasPrefix("related[0].images has 3 entries; only the first 1"))
  }

  func testYAMLAliasesCannotMultiplyAFileIntoEndlessEntries() throws {
    // 1,000 images a record (10 listed once, reused by 99 related articles), and 2,000 more
    // records that are aliases of it: two million references from about 12 KB.
    let images = (0..<10).map { "{url: http://127.0.0.1:9/\($0)}" }.joined(separator: ", ")
    let related = Array(repeating: "{images: *i}", count: 99).joined(separator: ", ")
    let text =
      "- &r\n  images: &i [\(images)]\n  related: [\(related)]\n"
      + Array(repeating: "- *r", count: 2000).joined(separator: "\n") + "\n"
    let file = try scratch.write("bomb.yaml", text)
    let collected = Collected(paths: [file])
    XCTAssertLessThanOrEqual(collected.items.count, text.utf8.count + 101)
    XCTAssertGreaterThan(
      collected.references.count, 5000, "the real entries before the cut are read")
    XCTAssertEqual(collected.problems.count, 1)
    XCTAssertTrue(collected.message(0).contains("expands (through aliases)"), collected.message(0))
  }

  func testDeeplyNestedYAMLIsRefusedInsteadOfCrashing() throws {
    let depth = 20_000
    let flow = try scratch.write(
      "flow.yaml",
      "title: t\nimages: [{url: http://127.0.0.1:9/a}]\nx: " + String(repeating: "[", count: depth)
        + String(repeating: "]", count: depth) + "\n")
    let block = try scratch.write(
      "block.md",
      "---\ntitle: t\nx:\n" + String(repeating: "- ", count: depth) + "deep\n---\n")
    let hiddenInQuotes = try scratch.write(
      "quoted.yaml",
      "a: [\"]]]]]]]]\", " + String(repeating: "[", count: depth)
        + String(repeating: "]", count: depth + 1) + "\n")
    let indented = try scratch.write(
      "indented.yaml",
      (0..<3000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n"))
    let anchored = try scratch.write(
      "anchored.yaml",
      "a: &x " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
    let good = try scratch.write("good.jsonl", after)
    let collected = Collected(paths: [flow, block, hiddenInQuotes, indented, anchored, good])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/after"])
    XCTAssertEqual(
      collected.problems.map(\.location.file), [flow, block, hiddenInQuotes, indented, anchored])
    XCTAssertEqual(collected.problems.map(\.location.line), [3, 4, 1, 22, 1])
    XCTAssertTrue(
      collected.problems.allSatisfy { $0.message.contains("nests deeper than 64 levels") })
  }

  func testNestingEstimateIsNeverBelowTheRealDepth() throws {
    // Documents where a naive scan would miss structure (found by fuzzing against Yams): tags
    // containing `:`, `&` or a quote, compact `- - k:` levels carried to the lines below them, a
    // verbatim tag ending in `>`, a document marker or a less indented line ending a block
    // scalar, ` - ` and a quote inside a plain scalar in a flow collection, lines ending in a
    // lone `\r`. Each is refused at a limit one below its real depth.
    let cases: [(yaml: String, depth: Int)] = [
      ("!root:& [\"k\":v]\n", 3),
      ("!roo't: {k0: [], k1: [a b ,\n 1]}\n", 3),
      ("oot: \n- &k: a:b\n", 4),
      ("a:\n- - k:\n       - - k:\n              k0: x\n", 9),
      ("!<x[y]> root: !<x[y]> [{k0: [&a [x],[]]}]\n", 6),
      ("root: \n|\n    [[[# {{{ ? \"\n---\n    - - - x\n", 4),
      ("root: \n|\n    [[ {{{ \"\n?      - - - x\n", 5),
      ("r'oot: [a - !!str ',[[],[[[]]]]\n]\n", 6),
      ("# comment\r[[[[\r]]]]\r", 4),
    ]
    for (yaml, depth) in cases {
      let file = try scratch.write("case.yaml", yaml)
      var limits = RecordLimits()
      limits.maxYAMLNesting = depth - 1
      let refused = Collected(paths: [file], limits: limits)
      XCTAssertTrue(refused.message(0).contains("nests deeper than"), "\(yaml): \(refused.items)")
      limits.maxYAMLNesting = 64
      let parsed = Collected(paths: [file], limits: limits)
      XCTAssertFalse(parsed.message(0).contains("nests deeper than"), "\(yaml): \(parsed.items)")
    }
  }

  func testOrdinaryYAMLIsNotMistakenForDeepNesting() throws {
    // Brackets inside plain and quoted text, block scalars with odd content, many articles.
    let article = """
      - title: Storm [video] :-[ [[[ "quoted [[[[" it's
        excerpt: |
          {{{{ [[[[ ((((
              - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
        note: 'single [[[[ '' quote'
        images:
          - url: http://127.0.0.1:9/a.jpg
            width: 10

      """
    let file = try scratch.write("many.yaml", String(repeating: article, count: 200))
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.references.count, 200)
  }
}
