import Foundation
import Halftone
import HalftoneFetch
import HalftoneRecords
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `halftone lookup URL` without `--width`/`--height`: the thumbnails made for the record's
/// declared size are listed, and the exit status says whether the original is cached.
final class LookupWithoutSizeTests: XCTestCase {
  func testLookupWithoutSizeListsEveryCachedThumbnail() async throws {
    let origin = try OriginServer()
    defer { origin.stop() }
    origin.route(
      "/l/photo.jpg",
      .always(.ok(Fixtures.photoJPEG(width: 400, height: 300), contentType: "image/jpeg")))
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-lookup-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = try Cache.open(root: root)
    let url = origin.url("/l/photo.jpg?width=100")

    let fetcher = try Fetcher(
      policy: FetchPolicy(totalTimeout: 10, maxAttempts: 1, allowPrivateAddresses: true))
    defer { fetcher.shutdown() }
    let prefetcher = Prefetcher(cache: cache, fetcher: fetcher, options: PrefetchOptions())
    var made: [String] = []
    for (width, height) in [(100, 75), (60, 45)] {
      let reference = ImageReference(
        url: url, declaredWidth: width, declaredHeight: height, article: ArticleProvenance(),
        location: RecordLocation(file: "a.jsonl", line: 1))
      _ = await prefetcher.run([RecordItem.reference(reference)]) { outcome in
        if let key = outcome.thumbnail?.specKey { made.append(key) }
      }
    }
    XCTAssertEqual(made.count, 2)

    let lookup = try ResolverAgreementTests.runHalftone([
      "lookup", url, "--json", "--cache", root.path,
    ])
    XCTAssertEqual(lookup.status, 0, "the original is cached: \(lookup.stdout) \(lookup.stderr)")
    let described = try HalftoneJSON.decoder().decode(
      ImageDescription.self, from: Data(lookup.stdout.utf8))
    let listed = described.candidates.flatMap(\.thumbnails).map(\.specKey)
    XCTAssertEqual(Set(listed), Set(made), "every thumbnail of the original, whatever its size")

    let text = try ResolverAgreementTests.runHalftone(["lookup", url, "--cache", root.path])
    XCTAssertEqual(text.status, 0, text.stderr)
    for key in made { XCTAssertTrue(text.stdout.contains(key), "\(key) in \(text.stdout)") }

    let unknown = try ResolverAgreementTests.runHalftone([
      "lookup", origin.url("/l/never.jpg"), "--json", "--cache", root.path,
    ])
    XCTAssertEqual(unknown.status, 1, "nothing cached for it")
  }
}
