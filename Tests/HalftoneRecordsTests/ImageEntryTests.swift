import HalftoneRecords
import XCTest

/// How image entries and their fields are read: sizes, urls, related articles.
final class ImageEntryTests: XCTestCase {
  private var scratch: ScratchDirectory!

  override func setUpWithError() throws {
    scratch = try ScratchDirectory()
  }

  override func tearDown() {
    scratch = nil
  }

  private func collect(yaml: String) throws -> (Collected, String) {
    let file = try scratch.write("record.yaml", yaml)
    return (Collected(paths: [file]), file)
  }

  func testWidthAndHeightAsNumbersOrNumericStrings() throws {
    let (collected, _) = try collect(
      yaml: """
        images:
          - {url: "http://127.0.0.1:9/a.jpg", width: "640", height: '480'}
          - {url: "http://127.0.0.1:9/b.jpg", width: 640.0, height: " 48 "}
          - {url: "http://127.0.0.1:9/c.jpg", width: ~, height: ""}
          - {url: "http://127.0.0.1:9/d.jpg"}
        """)
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.references.map(\.declaredWidth), [640, 640, nil, nil])
    XCTAssertEqual(collected.references.map(\.declaredHeight), [480, 48, nil, nil])
  }

  func testBadSizeSkipsOnlyThatImage() throws {
    let (collected, file) = try collect(
      yaml: """
        title: sizes
        images:
          - url: http://127.0.0.1:9/good1.jpg
            width: 10
          - url: http://127.0.0.1:9/abc.jpg
            width: abc
          - url: http://127.0.0.1:9/zero.jpg
            width: 0
          - url: http://127.0.0.1:9/negative.jpg
            height: "-5"
          - url: http://127.0.0.1:9/fraction.jpg
            width: 12.5
          - url: http://127.0.0.1:9/huge.jpg
            width: 1000000
          - url: http://127.0.0.1:9/bool.jpg
            height: true
          - url: http://127.0.0.1:9/list.jpg
            width: [1, 2]
          - url: http://127.0.0.1:9/good2.jpg
            height: 20
        """)
    XCTAssertEqual(
      collected.urls, ["http://127.0.0.1:9/good1.jpg", "http://127.0.0.1:9/good2.jpg"])
    XCTAssertEqual(collected.problems.map(\.location.line), [6, 8, 10, 12, 14, 16, 18])
    XCTAssertTrue(
      collected.problems.allSatisfy { $0.location.file == file && $0.kind == .invalidRecord })
    let messages = collected.problems.map(\.message)
    XCTAssertEqual(
      messages[0], #"images[1].width is "abc", not a number of pixels; the image is skipped"#)
    XCTAssertTrue(
      messages[1].contains("images[2].width is 0; it must be at least 1 pixel"), messages[1])
    XCTAssertTrue(messages[2].contains("images[3].height is -5"), messages[2])
    XCTAssertTrue(messages[3].contains("not a whole number"), messages[3])
    XCTAssertTrue(messages[4].contains("larger than the 65535-pixel maximum"), messages[4])
    XCTAssertTrue(messages[5].contains("a boolean"), messages[5])
    XCTAssertTrue(messages[6].contains("a list"), messages[6])
  }

  func testURLMustBeAStringButIsNotValidatedHere() throws {
    let (collected, _) = try collect(
      yaml: """
        images:
          - url: ""
          - url: ftp://example.invalid/x.tif
          - url: not a url at all
          - title: no url
          - url: 42
          - url:
          - http://127.0.0.1:9/bare-string.jpg
        """)
    XCTAssertEqual(collected.urls, ["", "ftp://example.invalid/x.tif", "not a url at all"])
    XCTAssertEqual(collected.problems.map(\.location.line), [5, 6, 7, 8])
    XCTAssertEqual(
      collected.problems.map(\.message),
      [
        "images[3] has no url; the image is skipped",
        "images[4].url is a number, not a string",
        "images[5].url is null, not a string",
        "images[6] is a string, not a mapping with a url",
      ])
  }

  func testImagesThatIsNotAListIsAProblem() throws {
    let (collected, _) = try collect(
      yaml: """
        title: odd
        images:
          url: http://127.0.0.1:9/a.jpg
        """)
    XCTAssertEqual(collected.references, [])
    XCTAssertEqual(collected.problems.map(\.message), ["images is a mapping, not a list"])
    XCTAssertEqual(collected.problems.map(\.location.line), [3])
  }

  func testRelatedImagesCarryTheRelatedArticlesProvenance() throws {
    let (collected, file) = try collect(
      yaml: """
        title: main
        sourceUrl: https://news.example/main
        publishedDateTime: 2020-01-01T00:00:00Z
        images:
          - url: http://127.0.0.1:9/main.jpg
        related:
          - title: side story
            sourceUrl: https://other.example/side
            publishedDateTime: 2019-12-31T23:00:00Z
            images:
              - url: http://127.0.0.1:9/side.jpg
                width: 100
                height: 50
          - title: no images here
          - just a string
          - title: bad images
            images: nope
        """)
    XCTAssertEqual(collected.urls, ["http://127.0.0.1:9/main.jpg", "http://127.0.0.1:9/side.jpg"])
    XCTAssertEqual(collected.references[0].article.title, "main")
    XCTAssertEqual(
      collected.references[1],
      ImageReference(
        url: "http://127.0.0.1:9/side.jpg", declaredWidth: 100, declaredHeight: 50,
        article: ArticleProvenance(
          sourceURL: "https://other.example/side", publishedDateTime: "2019-12-31T23:00:00Z",
          title: "side story"),
        location: RecordLocation(file: file, line: 11)))
    XCTAssertEqual(
      collected.problems.map(\.message),
      [
        "related[2] is a string, not a mapping",
        "related[3].images is a string, not a list",
      ])
    XCTAssertEqual(collected.problems.map(\.location.line), [15, 17])
  }

  func testRelatedImagesInJSON() throws {
    let file = try scratch.write(
      "r.jsonl",
      #"{"title":"main","images":[],"related":[{"title":"r","sourceUrl":"https://r.example/","#
        + #""images":[\#(jsonImage("http://127.0.0.1:9/r.jpg", width: "\"64\""))]}]}"#
    )
    let collected = Collected(paths: [file])
    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.references.map(\.article.sourceURL), ["https://r.example/"])
    XCTAssertEqual(collected.references.map(\.declaredWidth), [64])
  }

  func testRecordThatIsNotAMappingIsAProblem() throws {
    let (collected, _) = try collect(yaml: "just a sentence\n")
    XCTAssertEqual(
      collected.problems.map(\.message), ["the record is a string, not a mapping of article fields"]
    )
  }
}
