import HalftoneRecords
import XCTest

@testable import Halftone

/// `Shard`: parsing, and a split that is disjoint, complete and keeps one master on one shard.
final class ShardTests: XCTestCase {
  private func reference(_ url: String) -> ImageReference {
    ImageReference(
      url: url, declaredWidth: 640, declaredHeight: 480, article: ArticleProvenance(),
      location: RecordLocation(file: "test.jsonl", line: 1))
  }

  func testParsing() {
    XCTAssertEqual(Shard("0/2"), Shard(index: 0, count: 2))
    XCTAssertEqual(Shard("3/4")?.description, "3/4")
    for bad in ["2/2", "-1/2", "1", "1/0", "a/b", "1/2/3", "", "0/70000"] {
      XCTAssertNil(Shard(bad), bad)
    }
  }

  func testEveryReferenceFallsToExactlyOneShardAndMastersStayTogether() throws {
    let count = 4
    let shards = (0..<count).map { Shard(index: $0, count: count)! }
    var sizes = [Int](repeating: 0, count: count)
    for i in 0..<400 {
      // Two references to one master: the CDN's crop parameters differ, the master does not.
      let a = reference("https://cdn.example/img/\(i).jpg?crop=100,100,x0,y0&width=640")
      let b = reference("https://cdn.example/img/\(i).jpg?width=320")
      let owners = shards.filter { $0.contains(a) }
      XCTAssertEqual(owners.count, 1, "\(a.url)")
      XCTAssertEqual(shards.filter { $0.contains(b) }, owners, "one master, one shard")
      sizes[owners[0].index] += 1
    }
    for size in sizes { XCTAssertGreaterThan(size, 60, "\(sizes): a roughly even split") }
    // A URL that does not parse still has exactly one shard (it is reported once).
    let broken = reference("ftp://example.com/x.jpg")
    XCTAssertEqual(shards.filter { $0.contains(broken) }.count, 1)
  }
}
