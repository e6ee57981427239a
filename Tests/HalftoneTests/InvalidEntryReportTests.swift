import Foundation
import Halftone
import HalftoneCore
import XCTest

/// A report line for an image entry that cannot be used names the image: its URL, its title and
/// the article's, the article's source URL and date, so a user can tell which image was skipped.
final class InvalidEntryReportTests: XCTestCase {
  func testInvalidEntriesCarryWhatTheEntryHas() async throws {
    let bench = try PrefetchBench()
    try bench.write(
      "bad.jsonl",
      #"""
      {"title": "Floods", "sourceUrl": "https://news.example/floods", "publishedDateTime": "2026-11-30T08:00:00Z", "images": [{"url": "https://cdn.example/a.jpg", "width": "abc", "title": "River"}, {"url": "https://cdn.example/b.jpg", "height": -5}, {"title": "no url here"}]}

      """#)
    try bench.write(
      "bad.md",
      """
      ---
      title: Storm
      sourceUrl: https://news.example/storm
      publishedDateTime: 2026-12-01T09:30:00Z
      images:
        - url: https://cdn.example/c.jpg
          width: wide
      ---

      """)
    let (_, outcomes) = try await bench.run()
    let problems = outcomes.filter { $0.errorKind == .invalidRecord }
    XCTAssertEqual(problems.count, 4, "\(problems)")
    func line(_ url: String) throws -> ReferenceOutcome {
      try XCTUnwrap(problems.first { $0.url == url }, "no report line names \(url): \(problems)")
    }

    let width = try line("https://cdn.example/a.jpg")
    XCTAssertEqual(width.status, .failed)
    XCTAssertEqual(width.title, "River", "the entry's own title first")
    XCTAssertEqual(width.sourceURL, "https://news.example/floods")
    XCTAssertEqual(width.published, "2026-11-30T08:00:00Z")
    XCTAssertTrue(width.error?.contains("images[0].width") ?? false, "\(width)")

    let height = try line("https://cdn.example/b.jpg")
    XCTAssertEqual(height.title, "Floods", "else the article's")
    XCTAssertEqual(height.sourceURL, "https://news.example/floods")
    XCTAssertTrue(height.error?.contains("images[1].height") ?? false, "\(height)")

    let noURL = try XCTUnwrap(problems.first { $0.error?.contains("has no url") ?? false })
    XCTAssertEqual(noURL.url, "", "the entry has no URL to name")
    XCTAssertEqual(noURL.title, "no url here")
    XCTAssertEqual(noURL.published, "2026-11-30T08:00:00Z")

    let yaml = try line("https://cdn.example/c.jpg")
    XCTAssertEqual(yaml.title, "Storm")
    XCTAssertEqual(yaml.sourceURL, "https://news.example/storm")
    XCTAssertEqual(yaml.published, "2026-12-01T09:30:00Z")
    XCTAssertTrue(yaml.record.hasSuffix("bad.md"))
    XCTAssertEqual(yaml.line, 7, "the width's line")

    // The same fields in the JSON of the report line.
    let json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: HalftoneJSON.encoder().encode(width)) as? [String: Any])
    XCTAssertEqual(json["url"] as? String, "https://cdn.example/a.jpg")
    XCTAssertEqual(json["source_url"] as? String, "https://news.example/floods")
    XCTAssertEqual(json["published"] as? String, "2026-11-30T08:00:00Z")
  }
}
