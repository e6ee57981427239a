import Foundation
import HalftoneImaging
import HalftoneTestSupport
import XCTest

/// `halftone thumbnail` as a user runs it: files in, a file out, documented exit statuses.
final class ThumbnailCommandTests: XCTestCase {
  func testSeedURLMakesTheDeclaredSize() throws {
    let dir = try TemporaryDirectory()
    try Fixtures.photoJPEG(width: 3279, height: 2328).write(
      to: URL(fileURLWithPath: dir.path("master.jpg")))
    let result = try CLIRunner.run([
      "thumbnail", dir.path("master.jpg"),
      "--url",
      "https://www.gannett-cdn.com/presto/x.JPG?crop=3104,2328,x175,y0&quality=50&width=640",
      "--width", "640", "--height", "480", "-o", dir.path("thumb.jpg"),
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    let image = try Reference.decode(
      try Data(contentsOf: URL(fileURLWithPath: dir.path("thumb.jpg"))))
    XCTAssertEqual(image.width, 640)
    XCTAssertEqual(image.height, 480)
    XCTAssertTrue(result.stdout.contains("640x480"), result.stdout)
  }

  func testSpecAndFormatFromTheOutputExtension() throws {
    let dir = try TemporaryDirectory()
    try Fixtures.photoJPEG(width: 1600, height: 1200).write(
      to: URL(fileURLWithPath: dir.path("in.jpg")))
    let result = try CLIRunner.run([
      "thumbnail", dir.path("in.jpg"), "--spec", "crop=16:9&width=320", "-o", dir.path("out.webp"),
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.path("out.webp")))
    XCTAssertEqual(ImageFormat.sniff(bytes), .webp)
    let image = try Reference.decode(bytes)
    XCTAssertEqual(image.width, 320)
    XCTAssertEqual(image.height, 180)
  }

  func testFailedImageExitsOneWithItsKind() throws {
    let dir = try TemporaryDirectory()
    try Data("<html>not found</html>".utf8).write(to: URL(fileURLWithPath: dir.path("page.jpg")))
    let result = try CLIRunner.run([
      "thumbnail", dir.path("page.jpg"), "--width", "100", "-o", dir.path("o.jpg"),
    ])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("not_an_image"), result.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("o.jpg")))
  }

  func testBadUsageExitsTwo() throws {
    let dir = try TemporaryDirectory()
    try Fixtures.photoJPEG(width: 100, height: 100).write(
      to: URL(fileURLWithPath: dir.path("in.jpg")))
    let badQuality = try CLIRunner.run([
      "thumbnail", dir.path("in.jpg"), "--quality", "101", "-o", dir.path("o.jpg"),
    ])
    XCTAssertEqual(badQuality.status, 2, badQuality.stderr)
    XCTAssertTrue(badQuality.stderr.contains("invalid_spec"), badQuality.stderr)
    let missingOutput = try CLIRunner.run(["thumbnail", dir.path("in.jpg")])
    XCTAssertEqual(missingOutput.status, 2, missingOutput.stderr)
    let help = try CLIRunner.run(["thumbnail", "--help"])
    XCTAssertEqual(help.status, 0)
    XCTAssertTrue(help.stdout.contains("--spec"), help.stdout)
  }

  func testBenchReportsThroughputAsJSON() throws {
    let dir = try TemporaryDirectory()
    let images = dir.url.appendingPathComponent("images")
    try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
    for i in 0..<3 {
      try Fixtures.photoJPEG(width: 1200 + 10 * i, height: 900).write(
        to: images.appendingPathComponent("p\(i).jpg"))
    }
    try Data("not an image".utf8).write(to: images.appendingPathComponent("notes.txt"))
    let result = try CLIRunner.run([
      "bench", images.path, "--threads", "2", "--repeat", "2", "--json",
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    XCTAssertEqual(json?["images"] as? Int, 3)
    XCTAssertEqual(json?["renders"] as? Int, 6)
    XCTAssertEqual(json?["failures"] as? Int, 0)
    XCTAssertGreaterThan(json?["images_per_second"] as? Double ?? 0, 0)
    XCTAssertGreaterThan(json?["peak_rss_mb"] as? Double ?? 0, 0)
  }
}
