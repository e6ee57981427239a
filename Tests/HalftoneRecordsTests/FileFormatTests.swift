import HalftoneRecords
import XCTest

/// `.yaml`/`.yml`, `.json` and `.jsonl`/`.ndjson` records.
final class FileFormatTests: XCTestCase {
  private var scratch: ScratchDirectory!

  override func setUpWithError() throws {
    scratch = try ScratchDirectory()
  }

  override func tearDown() {
    scratch = nil
  }

  func testYAMLSingleDocument() throws {
    let file = try scratch.write(
      "a.yaml",
      """
      # an exported article
      title: YAML article
      sourceUrl: https://news.example/yaml
      publishedDateTime: 2021-01-02T03:04:05Z
      images:
        - url: http://127.0.0.1:9/y.jpg
          width: 300
          height: 200
          title: Y
      """)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(
      collected.references,
      [
        ImageReference(
          url: "http://127.0.0.1:9/y.jpg", declaredWidth: 300, declaredHeight: 200, title: "Y",
          article: ArticleProvenance(
            sourceURL: "https://news.example/yaml", publishedDateTime: "2021-01-02T03:04:05Z",
            title: "YAML article"),
          location: RecordLocation(file: file, line: 6))
      ])
  }

  func testYAMLMultipleDocumentsAndARootList() throws {
    let file = try scratch.write(
      "many.yml",
      """
      ---
      title: one
      images: [{url: "http://127.0.0.1:9/1.jpg"}]
      ---
      title: two
      images:
        - url: http://127.0.0.1:9/2.jpg
      ---
      - title: three
        images:
          - url: http://127.0.0.1:9/3.jpg
      - title: four
        images:
          - url: http://127.0.0.1:9/4.jpg
      """)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(
      collected.urls.map { String($0.suffix(5)) }, ["1.jpg", "2.jpg", "3.jpg", "4.jpg"])
    XCTAssertEqual(collected.references.map(\.location.line), [3, 7, 11, 14])
    XCTAssertEqual(collected.references.map(\.article.title), ["one", "two", "three", "four"])
  }

  func testYAMLErrorInALaterDocumentKeepsTheEarlierOnes() throws {
    let file = try scratch.write(
      "broken.yaml",
      """
      title: one
      images: [{url: "http://127.0.0.1:9/1.jpg"}]
      ---
      title: two
      images: [{url: "http://127.0.0.1:9/2.jpg"}
      """)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/1.jpg"])
    let problem = try XCTUnwrap(collected.problems.first)
    XCTAssertGreaterThanOrEqual(problem.location.line, 5, "\(problem)")
    XCTAssertTrue(problem.message.hasPrefix("malformed YAML:"), problem.message)
  }

  func testJSONObject() throws {
    let file = try scratch.write(
      "a.json",
      #"""
      {
        "title": "JSON article",
        "sourceUrl": "https://news.example/json",
        "images": [ { "url": "http://127.0.0.1:9/j.jpg", "width": "320", "height": 240 } ]
      }
      """#)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.problems, [])
    let image = try XCTUnwrap(collected.references.first)
    XCTAssertEqual(collected.references.count, 1)
    XCTAssertEqual(image.declaredWidth, 320)
    XCTAssertEqual(image.declaredHeight, 240)
    XCTAssertEqual(image.article.title, "JSON article")
    XCTAssertEqual(image.location, RecordLocation(file: file, line: 1))
  }

  func testJSONArrayElementsKeepTheirLinesAndABrokenOneIsSkipped() throws {
    let file = try scratch.write(
      "list.json",
      #"""
      [
        { "title": "first", "images": [ { "url": "http://127.0.0.1:9/1.jpg" } ] },
        {
          "title": "broken",
          "images": [ { "url": "http://127.0.0.1:9/x.jpg" "width": 1 } ]
        },
        "not an article",
        {
          "title": "third",
          "images": [ { "url": "http://127.0.0.1:9/3.jpg" } ]
        }
      ]
      """#)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/1.jpg", "http://127.0.0.1:9/3.jpg"])
    XCTAssertEqual(collected.references.map(\.location.line), [2, 8])
    guard collected.problems.count == 2 else { return XCTFail("\(collected.problems)") }
    XCTAssertEqual(collected.problem(0)?.location.file, file)
    XCTAssertTrue(
      (3...5).contains(collected.problem(0)?.location.line ?? 0),
      "\(String(describing: collected.problem(0)))")
    XCTAssertTrue(collected.message(0).contains("element 1"), collected.message(0))
    XCTAssertEqual(collected.problem(1)?.location.line, 7)
    XCTAssertTrue(
      collected.message(1).contains("[2]") && collected.message(1).contains("string"),
      collected.message(1))
  }

  func testJSONArrayWithBrokenStructureReportsWhereAndKeepsEarlierElements() throws {
    let file = try scratch.write(
      "cut.json",
      """
      [
        {"images": [{"url": "http://127.0.0.1:9/1.jpg"}]},
        {"images": [{"url": "http://127.0.0.1:9/2.jpg"}]]
      """)
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/1.jpg"])
    XCTAssertEqual(collected.problems.map(\.location.line), [3])
  }

  func testJSONLinesAndNDJSON() throws {
    let lines = [
      #"{"title":"a","images":[\#(jsonImage("http://127.0.0.1:9/a.jpg"))]}"#,
      "",
      "   ",
      #"{"title":"b","images":[\#(jsonImage("http://127.0.0.1:9/b.jpg"))]}"#,
    ]
    let jsonl = try scratch.write("a.jsonl", lines.joined(separator: "\n") + "\n")
    let ndjson = try scratch.write("b.ndjson", lines.joined(separator: "\r\n"))
    let collected = Collected(paths: [jsonl, ndjson])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(
      collected.references.map(\.location),
      [
        RecordLocation(file: jsonl, line: 1), RecordLocation(file: jsonl, line: 4),
        RecordLocation(file: ndjson, line: 1), RecordLocation(file: ndjson, line: 4),
      ])
  }

  func testMalformedJSONLinesAreReportedAndTheRestRead() throws {
    let file = try scratch.write(
      "mixed.jsonl",
      [
        #"{"images":[\#(jsonImage("http://127.0.0.1:9/1.jpg"))]}"#,
        #"{"images":[{"url":"http://127.0.0.1:9/cut.jpg""#,
        #"42"#,
        #"{"images":[\#(jsonImage("http://127.0.0.1:9/4.jpg"))]}"#,
        #"not json at all"#,
        #"[{"images":[\#(jsonImage("http://127.0.0.1:9/6a.jpg"))]},"#
          + #"{"images":[\#(jsonImage("http://127.0.0.1:9/6b.jpg"))]}]"#,
      ].joined(separator: "\n"))
    let collected = Collected(paths: [file])
    XCTAssertEqual(
      collected.urls.map { $0.replacingOccurrences(of: "http://127.0.0.1:9/", with: "") },
      ["1.jpg", "4.jpg", "6a.jpg", "6b.jpg"])
    XCTAssertEqual(collected.references.map(\.location.line), [1, 4, 6, 6])
    XCTAssertEqual(
      collected.problems.map(\.location),
      [
        RecordLocation(file: file, line: 2), RecordLocation(file: file, line: 3),
        RecordLocation(file: file, line: 5),
      ])
    XCTAssertTrue(collected.message(0).hasPrefix("malformed JSON"), collected.message(0))
    XCTAssertTrue(collected.message(1).contains("a number, not a mapping"), collected.message(1))
  }
}
