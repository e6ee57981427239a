import HalftoneCore
import HalftoneRecords
import XCTest

/// The example records shared by the team (copied into Tests/Fixtures/records).
final class SharedExampleTests: XCTestCase {
  func testUSATodayRecordYieldsItsOneImage() throws {
    let file = RecordFixtures.path("usatoday-facial-recognition.md")
    let collected = Collected(paths: [file])

    XCTAssertEqual(collected.problems, [])
    XCTAssertEqual(collected.references.count, 1)
    let image = try XCTUnwrap(collected.references.first)
    XCTAssertEqual(
      image.url,
      "https://www.gannett-cdn.com/presto/2019/11/19/USAT/4673ca8f-44ed-4dcf-99a0-2c54536bf6fc"
        + "-AFP_AFP_1LW6JF.JPG?crop=3104,2328,x175,y0&quality=50&width=640")
    XCTAssertEqual(image.declaredWidth, 640)
    XCTAssertEqual(image.declaredHeight, 480)
    let title = "Why some cities, states and lawmakers want to curb facial recognition technology"
    XCTAssertEqual(image.title, title)
    XCTAssertEqual(
      image.article,
      ArticleProvenance(
        sourceURL: "https://www.usatoday.com/story/tech/2019/12/17/face-recognition-ban-some-"
          + "cities-states-and-lawmakers-push-one/2680483001/",
        publishedDateTime: "2019-12-18T00:03:00Z", title: title))
    XCTAssertEqual(
      image.location,
      RecordLocation(file: file, line: try RecordFixtures.line(of: "  - url: https://", in: file)))
  }

  func testExamplesJSONLinesYieldEveryImageWithItsLine() throws {
    let file = RecordFixtures.path("examples.jsonl")
    let collected = Collected(paths: [file])

    XCTAssertEqual(collected.problems, [])
    // 1 + 2 + 1 + 3 + 5 images on lines 1…5; odd URLs pass through (the spec stage judges them).
    XCTAssertEqual(collected.references.map(\.location.line), [1, 2, 2, 3, 4, 4, 4, 5, 5, 5, 5, 5])
    XCTAssertTrue(collected.references.allSatisfy { $0.location.file == file })
    XCTAssertEqual(collected.urls.filter { $0.isEmpty }.count, 1)
    XCTAssertTrue(collected.urls.contains("ftp://files.example-herald.com/raw/podium.tif"))

    let facade = try XCTUnwrap(collected.references.first { $0.url.hasSuffix("museum-facade.png") })
    XCTAssertNil(facade.declaredWidth)
    XCTAssertNil(facade.declaredHeight)
    XCTAssertEqual(facade.title, "Facade, no declared size")
    XCTAssertEqual(
      facade.article,
      ArticleProvenance(
        sourceURL: "https://www.example-times.com/arts/museum-reopens",
        publishedDateTime: "2022-01-20T08:00:00Z", title: "Museum reopens"))

    let radar = try XCTUnwrap(collected.references.first { $0.title == "Radar" })
    XCTAssertEqual(radar.declaredWidth, 800)
    XCTAssertEqual(radar.declaredHeight, 450)
  }

  func testCountReferencesMatchesTheStream() {
    let paths = [
      RecordFixtures.path("examples.jsonl"), RecordFixtures.path("usatoday-facial-recognition.md"),
    ]
    XCTAssertEqual(RecordStream.countReferences(paths: paths), 13)
  }

  func testProblemsAreTypedHalftoneErrors() {
    let problem = RecordProblem(
      message: "images[0] has no url", location: RecordLocation(file: "a.md", line: 3))
    let error: any HalftoneError = problem
    XCTAssertEqual(error.kind, .invalidRecord)
    XCTAssertEqual(error.description, "a.md:3: invalid_record: images[0] has no url")
  }
}
