import Foundation
import HalftoneStore
import XCTest

/// `--grace 0`: a single-user cache gets its hard limit at once.
final class GraceCommandTests: XCTestCase {
  private func seededCache(_ dir: TemporaryDirectory) throws -> (root: String, bytes: Int) {
    let root = dir.path("cache")
    let cache = try Cache.open(root: URL(fileURLWithPath: root))
    let original = try cache.putBlob(Data(repeating: 1, count: 30_000))
    try cache.recordOriginal(
      url: "https://a.example/1.jpg", original: original, format: .jpeg, bytes: 30_000)
    _ = try cache.putBlob(Data(repeating: 2, count: 5_000))  // no row names it
    return (root, 35_000)
  }

  func testGCWithZeroGraceRemovesFreshBlobsAtOnce() throws {
    for grace in ["0", "0s", "0m"] {
      let dir = try TemporaryDirectory()
      let (root, bytes) = try seededCache(dir)
      let run = try CLIRunner.run(
        ["gc", "--max-size", "1", "--grace", grace, "--json", "--cache", root])
      XCTAssertEqual(run.status, 0, "--grace \(grace): \(run.stderr)")
      let json = try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
      let report = try XCTUnwrap(json["report"] as? [String: Any])
      XCTAssertEqual(json["freed_bytes"] as? Int, bytes, "--grace \(grace)")
      XCTAssertEqual(report["within_limit"] as? Bool, true, "--grace \(grace)")
      XCTAssertEqual(report["bytes_after"] as? Int, 0)
    }
  }

  func testDefaultGraceStillProtectsFreshBlobs() throws {
    let dir = try TemporaryDirectory()
    let (root, _) = try seededCache(dir)
    let run = try CLIRunner.run(["gc", "--max-size", "1", "--json", "--cache", root])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.contains(#""freed_bytes":0"#), run.stdout)
  }

  func testVerifyRepairWithZeroGraceRemovesAFreshOrphan() throws {
    let dir = try TemporaryDirectory()
    let (root, _) = try seededCache(dir)
    let run = try CLIRunner.run(["verify", "--repair", "--grace", "0", "--json", "--cache", root])
    XCTAssertEqual(run.status, 1, "an orphan is a problem, repaired: \(run.stdout) \(run.stderr)")
    let json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let report = try XCTUnwrap(json["report"] as? [String: Any])
    XCTAssertEqual((report["orphans"] as? [Any])?.count, 1)
    XCTAssertEqual(report["recent_orphans"] as? Int, 0)
    let again = try CLIRunner.run(["verify", "--json", "--cache", root])
    XCTAssertEqual(again.status, 0, again.stdout)
  }

  func testNegativeAndNonsenseGraceAreRefused() throws {
    let dir = try TemporaryDirectory()
    let (root, _) = try seededCache(dir)
    for grace in ["-1", "-5m", "soon"] {
      let run = try CLIRunner.run(["gc", "--max-size", "1", "--grace=\(grace)", "--cache", root])
      XCTAssertEqual(run.status, 2, "--grace \(grace)")
      XCTAssertTrue(run.stderr.contains("--grace"), run.stderr)
    }
  }
}
