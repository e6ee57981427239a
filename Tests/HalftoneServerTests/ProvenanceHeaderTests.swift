import Foundation
import HalftoneArchive
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// `/thumbnails` and `/images` name where an original's bytes came from.
final class ProvenanceHeaderTests: XCTestCase {
  func testAnArchivedOriginalIsNamedInHeadersAndInImages() async throws {
    let harness = try await ServerHarness.start()
    defer { Task { try await harness.stop() } }
    let url = "https://dead.example/photo.jpg"
    let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 100, declaredHeight: 75)
    let bytes = FakeImage.jpeg("recovered")
    let original = try harness.cache.putBlob(bytes)
    let captured = Date(timeIntervalSince1970: 1_552_737_600)  // 2019-03-16T12:00:00Z
    let replay = "https://web.archive.org/web/20190316120000id_/\(url)"
    try harness.cache.recordOriginal(
      url: url, original: original, format: .jpeg, bytes: bytes.count,
      archive: ArchiveProvenance(archiveURL: replay, capturedAt: captured))
    try harness.seedThumbnail(
      original: original, spec: spec, bytes: FakeImage.jpeg("thumb"), format: .jpeg)
    let alive = "https://alive.example/photo.jpg"
    let aliveSpec = try ThumbnailSpec.parse(url: alive, declaredWidth: 100, declaredHeight: 75)
    let aliveOriginal = try harness.seedOriginal(url: alive, bytes: FakeImage.jpeg("alive"))
    try harness.seedThumbnail(
      original: aliveOriginal, spec: aliveSpec, bytes: FakeImage.jpeg("thumb2"), format: .jpeg)

    for _ in 0..<2 {  // the second answer comes from the lookup memo
      let reply = try await harness.get(try thumbnailsPath(url, width: 100, height: 75))
      XCTAssertEqual(reply.status, 200, reply.text)
      XCTAssertEqual(reply.header("X-Halftone-Source"), "archive")
      XCTAssertEqual(reply.header("X-Halftone-Original-URL"), url)
      XCTAssertEqual(reply.header("X-Halftone-Archive-URL"), replay)
      XCTAssertEqual(reply.header("X-Halftone-Captured-At"), "2019-03-16T12:00:00Z")
    }
    let fromOrigin = try await harness.get(try thumbnailsPath(alive, width: 100, height: 75))
    XCTAssertEqual(fromOrigin.header("X-Halftone-Source"), "origin")
    XCTAssertNil(fromOrigin.header("X-Halftone-Archive-URL"))

    let images = try await harness.get("/images?url=\(encoded(url))&width=100&height=75")
    XCTAssertEqual(images.status, 200, images.text)
    let json = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: images.body) as? [String: Any])
    let resolved = try XCTUnwrap(
      (json["resolved"] as? [String: Any])?["original"] as? [String: Any])
    XCTAssertEqual(resolved["source"] as? String, "archive")
    XCTAssertEqual(resolved["archive_url"] as? String, replay)
    XCTAssertEqual(resolved["captured_at"] as? String, "2019-03-16T12:00:00Z")
  }

  func testOnDemandRecoversFromAnArchiveOnlyWhenGivenOne() async throws {
    let origin = try OriginServer()
    defer { origin.stop() }
    let archive = try ArchiveServer()
    let url = origin.url("/gone.jpg")
    archive.add(
      .init(
        url: url, timestamp: "20190316120000", body: Fixtures.photoJPEG(width: 400, height: 300)))

    let plain = try await ServerHarness.start(onDemand: true)
    let lost = try await plain.get(try thumbnailsPath(url, width: 100, height: 75))
    try await plain.stop()
    XCTAssertEqual(lost.status, 404, lost.text)
    XCTAssertEqual(archive.http.totalRequestCount, 0, "no archive unless one is given")

    let harness = try await ServerHarness.start(
      onDemand: true, archives: [try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))])
    defer { Task { try await harness.stop() } }
    let reply = try await harness.get(try thumbnailsPath(url, width: 100, height: 75))
    XCTAssertEqual(reply.status, 200, reply.text)
    XCTAssertEqual(reply.header("X-Halftone-Source"), "archive")
    XCTAssertEqual(reply.header("X-Halftone-Captured-At"), "2019-03-16T12:00:00Z")
    XCTAssertEqual(archive.replays.count, 1)

    let missing = origin.url("/never.jpg")
    let none = try await harness.get(try thumbnailsPath(missing, width: 100, height: 75))
    XCTAssertEqual(none.status, 404, none.text)
    XCTAssertEqual(none.errorKind, "not_archived")
  }
}
