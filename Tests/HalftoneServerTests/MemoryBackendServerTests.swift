import Foundation
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// The server over a backend with no local files: everything it serves, fetches and stores goes
/// through `BlobBackend`, as it will for an object store.
final class MemoryBackendServerTests: XCTestCase {
  func testOnDemandRenderIsStoredAndServedWithoutFiles() async throws {
    let origin = try OriginServer()
    defer { origin.stop() }
    let photo = Fixtures.photoJPEG(width: 256, height: 192, quality: 85)
    origin.route("/photo.jpg", .always(.ok(photo, contentType: "image/jpeg")))
    let memory = MemoryBlobBackend()
    let harness = try await ServerHarness.start(
      configure: {
        $0.memoryCacheBytes = 0  // every answer reads the backend
        $0.blobChunkBytes = 4096  // the original is streamed in chunks
      }, onDemand: true, configureCache: { $0.backend = memory })
    XCTAssertGreaterThan(photo.count, 8192, "larger than two chunks")
    let url = origin.url("/photo.jpg?width=64")

    let first = try await harness.get(try thumbnailsPath(url))
    XCTAssertEqual(first.status, 200, first.text)
    XCTAssertEqual(first.header("Content-Type"), "image/jpeg")
    let etag = try XCTUnwrap(first.header("ETag"))
    let opensBefore = memory.opens.withLock { $0 }
    let second = try await harness.get(try thumbnailsPath(url))
    XCTAssertEqual(second.status, 200)
    XCTAssertEqual(second.header("ETag"), etag)
    XCTAssertEqual(second.body, first.body)
    XCTAssertEqual(origin.requestCount("/photo.jpg"), 1, "the second request is a hit")
    XCTAssertGreaterThan(memory.opens.withLock { $0 }, opensBefore, "the hit read the backend")

    // Original and thumbnail are in the backend, and nothing is on disk but the index.
    let spec = try ThumbnailSpec.parse(url: url)
    let original = try XCTUnwrap(try harness.cache.original(forURL: spec.masterURL)).original
    XCTAssertEqual(Set(try memory.enumerate().map(\.digest)).count, 2)
    XCTAssertNotNil(try memory.info(original))
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: harness.root.appendingPathComponent("blobs").path))
    XCTAssertNil(harness.cache.blobURL(original), "no local file to name")

    // The original, larger than a chunk, answers whole, partial, conditional and HEAD requests.
    let path = "/blobs/\(original.hex)"
    let whole = try await harness.get(path)
    XCTAssertEqual(whole.status, 200)
    XCTAssertEqual(whole.body, photo)
    XCTAssertEqual(whole.header("Content-Type"), "image/jpeg")
    let range = try await harness.get(path, headers: [("Range", "bytes=1000-2999")])
    XCTAssertEqual(range.status, 206)
    XCTAssertEqual(range.body, photo[1000...2999])
    XCTAssertEqual(range.header("Content-Range"), "bytes 1000-2999/\(photo.count)")
    let beyond = try await harness.get(path, headers: [("Range", "bytes=99999999-")])
    XCTAssertEqual(beyond.status, 416)
    let notModified = try await harness.get(
      path, headers: [("If-None-Match", "\"\(original.hex)\"")])
    XCTAssertEqual(notModified.status, 304)
    let head = try await harness.head(path)
    XCTAssertEqual(head.header("Content-Length"), String(photo.count))
    XCTAssertTrue(head.body.isEmpty)

    // Maintenance reads the same backend.
    let stats = try harness.cache.stats()
    XCTAssertEqual(stats.originals.count, 1)
    XCTAssertEqual(stats.thumbnails.count, 1)
    XCTAssertTrue(try harness.cache.verify(repair: false).isClean)

    try memory.remove(original)
    let gone = try await harness.get(path)
    XCTAssertEqual(gone.status, 404)
    try await harness.stop()
  }
}
