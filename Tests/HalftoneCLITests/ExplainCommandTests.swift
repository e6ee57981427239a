import Foundation
import XCTest

/// `halftone explain` and `--url-rules` as a user runs them: no fetching, the shipped example
/// file loads, a bad rules file stops the command at start with the file and line.
final class ExplainCommandTests: XCTestCase {
  /// The repository's `Examples/url-rules.yaml`.
  static let exampleRules = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/url-rules.yaml").path

  func testExplainPrintsDialectCandidatesParametersPlanAndWarnings() throws {
    let url =
      "https://res.cloudinary.com/demo/image/upload/c_crop,w_3104,h_2328,x_175,y_0/"
      + "c_scale,w_640/e_sepia/v1712/sample.jpg"
    let result = try CLIRunner.run([
      "explain", "--width", "640", "--height", "480", "--source", "3600x2600", "--json", url,
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    let json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(json["dialect"] as? String, "cloudinary")
    let candidates = try XCTUnwrap(json["candidates"] as? [[String: String]])
    XCTAssertEqual(
      candidates,
      [
        ["url": "https://res.cloudinary.com/demo/image/upload/v1712/sample.jpg", "role": "master"],
        ["url": url, "role": "as_written"],
      ])
    let parameters = try XCTUnwrap(json["parameters"] as? [String: Any])
    XCTAssertEqual(parameters["crop"] as? String, "px3104,px2328@px175,px0")
    XCTAssertEqual(parameters["declared_width"] as? Int, 640)
    let plan = try XCTUnwrap(json["plan"] as? [String: Any])
    XCTAssertEqual(
      plan["region"] as? [String: Int], ["x": 175, "y": 0, "width": 3104, "height": 2328])
    XCTAssertEqual(plan["width"] as? Int, 640)
    XCTAssertEqual(plan["height"] as? Int, 480)
    let warnings = try XCTUnwrap(json["warnings"] as? [String])
    XCTAssertTrue(warnings.contains { $0.contains("e_sepia") }, "\(warnings)")

    let text = try CLIRunner.run(["explain", url])
    XCTAssertEqual(text.status, 0, text.stderr)
    XCTAssertTrue(text.stdout.contains("dialect     cloudinary"), text.stdout)
    XCTAssertTrue(text.stdout.contains("needs the source's size"), text.stdout)
  }

  func testTheShippedRulesFileLoadsAndRewritesToItsMasters() throws {
    let result = try CLIRunner.run([
      "explain", "--url-rules", Self.exampleRules, "--json",
      "https://media.news.example/photos/2024/harbour_640w.jpg",
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    let json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(json["dialect"] as? String, "rendition")
    let urls = (json["candidates"] as? [[String: String]])?.compactMap { $0["url"] }
    XCTAssertEqual(
      urls,
      [
        "https://media.news.example/photos/2024/harbour_original.jpg",
        "https://media.news.example/photos/2024/harbour_2048w.jpg",
        "https://media.news.example/photos/2024/harbour_640w.jpg",
      ])
    let cname = try CLIRunner.run([
      "explain", "--url-rules", Self.exampleRules,
      "https://img.news.example/image/upload/c_fill,w_640,h_480/v1712/harbour.jpg",
    ])
    XCTAssertTrue(cname.stdout.contains("dialect     cloudinary"), cname.stdout + cname.stderr)
  }

  func testABadRulesFileFailsAtStartWithTheFileAndLine() throws {
    let dir = try TemporaryDirectory()
    let cases: [(String, String)] = [
      (
        "rules:\n  - host: a.example\n    dialect: cloudinary\n  - host: b.example\n    dialect: akamia\n",
        ":5: unknown dialect 'akamia'"
      ),
      ("rules:\n  - host: a.example\n    pattern: '^(a'\n    masters: ['$1']\n", ":2: the pattern"),
      ("rules:\n  - host: a.example\n    dialekt: imgix\n", ":3: unknown field 'dialekt'"),
      ("rules:\n  - host: 'a b'\n    dialect: imgix\n", ":2: host 'a b'"),
      ("rules: [\n", ":2:1: error: parser"),
      ("- host: a.example\n", ":1: expected a mapping with a 'rules' list"),
    ]
    for (number, (text, expected)) in cases.enumerated() {
      let path = dir.path("rules-\(number).yaml")
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      for arguments in [
        ["explain", "https://a.example/x.jpg"],
        ["prefetch", dir.path("no-records"), "--cache", dir.path("cache")],
      ] {
        let result = try CLIRunner.run(arguments + ["--url-rules", path])
        XCTAssertEqual(result.status, 2, "\(arguments) \(text): \(result.stderr)")
        XCTAssertTrue(
          result.stderr.contains("invalid_rules") && result.stderr.contains(expected)
            && result.stderr.contains(path.replacingOccurrences(of: ".yaml", with: "")),
          "\(text): \(result.stderr)")
      }
    }
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: dir.path("cache")), "nothing was started")
  }

  func testRulesFilesOverTheirLimitsAreRefused() throws {
    let dir = try TemporaryDirectory()
    let many =
      "rules:\n"
      + String(repeating: "  - host: a.example\n    dialect: imgix\n", count: 1001)
    let large = "# " + String(repeating: "x", count: 1 << 20) + "\nrules: []\n"
    for (name, text, expected) in [
      ("many.yaml", many, "more than 1000 rules"),
      ("large.yaml", large, "larger than 1048576 bytes"),
    ] {
      let path = dir.path(name)
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      let result = try CLIRunner.run(["explain", "https://a.example/x.jpg", "--url-rules", path])
      XCTAssertEqual(result.status, 2, result.stderr)
      XCTAssertTrue(result.stderr.contains(expected), result.stderr)
    }
  }

  func testExplainRefusesAURLItCannotRead() throws {
    let result = try CLIRunner.run([
      "explain", "https://example.com/_next/image?url=file:///etc/passwd&w=64",
    ])
    XCTAssertEqual(result.status, 2)
    XCTAssertTrue(result.stderr.contains("invalid_url"), result.stderr)
    XCTAssertTrue(result.stderr.contains("'file'"), result.stderr)
  }
}
