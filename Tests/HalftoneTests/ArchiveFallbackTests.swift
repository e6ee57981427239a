import Foundation
import Halftone
import HalftoneArchive
import HalftoneCore
import HalftoneStore
import HalftoneTestSupport
import XCTest

/// Images gone from their origin recovered from a loopback web archive (Wayback CDX + `id_`
/// replays, Memento TimeGate); nothing leaves the machine.
final class ArchiveFallbackTests: XCTestCase {
  let before = Fixtures.photoJPEG(width: 640, height: 480, quality: 70)
  let after = Fixtures.photoJPEG(width: 800, height: 600, quality: 80)
  let later = Fixtures.photoJPEG(width: 900, height: 600, quality: 85)

  func testA404IsRecoveredFromTheCaptureClosestAfterPublicationWithProvenance() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let url = bench.origin.url("/gone.jpg")
    bench.origin.route("/gone.jpg", .always(.status(404)))
    archive.add(.init(url: url, timestamp: "20190301000000", body: before))
    // Listed a few seconds off its replay's timestamp: the replay redirects to the exact one.
    archive.add(
      .init(url: url, timestamp: "20190316120005", body: after, listedAs: "20190316120000"))
    archive.add(.init(url: url, timestamp: "20200101000000", body: later))
    try bench.write(
      "a.jsonl",
      bench.jsonLine(url: url, width: 400, height: 300, published: "2019-03-14T10:00:00Z") + "\n")

    let first = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ])
    let outcome = try XCTUnwrap(first.outcomes.one(url: url))
    XCTAssertEqual(outcome.status, .ok, "\(outcome)")
    XCTAssertEqual(outcome.original?.source, "archive")
    XCTAssertEqual(outcome.original?.url, url)
    XCTAssertEqual(outcome.original?.digest, Digest.of(after))
    XCTAssertEqual(
      outcome.original?.archiveURL, archive.http.url("/web/20190316120005id_/\(url)"))
    XCTAssertEqual(outcome.original?.capturedAt, ArchiveServer.date("20190316120005"))
    XCTAssertEqual(
      archive.replays.map(\.path),
      ["/web/20190316120000id_/\(url)", "/web/20190316120005id_/\(url)"])
    XCTAssertEqual(outcome.thumbnail?.width, 400)

    // lookup and /images read the same provenance from the index.
    let description = try await ImagePipeline(cache: bench.cache, fetcher: nil).describe(
      .parse(url: url, declaredWidth: 400, declaredHeight: 300))
    XCTAssertEqual(description.resolved?.original.source, "archive")
    XCTAssertEqual(description.resolved?.original.capturedAt, ArchiveServer.date("20190316120005"))

    // Resume: nothing asked of the origin or the archive again.
    let (origin, lookups, replays) = (
      bench.origin.totalRequestCount, archive.lookups.count, archive.replays.count
    )
    let second = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ])
    XCTAssertEqual(second.outcomes.one(url: url)?.status, .skipped)
    XCTAssertEqual(bench.origin.totalRequestCount, origin)
    XCTAssertEqual(archive.lookups.count, lookups)
    XCTAssertEqual(archive.replays.count, replays)
  }

  func testWithoutAnArchiveNothingChanges() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let url = bench.origin.url("/gone.jpg")
    bench.origin.route("/gone.jpg", .always(.status(404)))
    archive.add(.init(url: url, timestamp: "20190316120000", body: after))
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 400, height: 300) + "\n")
    let run = try await bench.run()
    let outcome = try XCTUnwrap(run.outcomes.one(url: url))
    XCTAssertEqual(outcome.errorKind, .httpStatus)
    XCTAssertNil(outcome.originErrorKind)
    XCTAssertEqual(archive.http.totalRequestCount, 0)
  }

  func testADeadHostARefusedConnectionAndAParkedDomainAreRecovered() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    // A label over 63 bytes: the resolver refuses it without sending a query anywhere.
    let dead = "http://\(String(repeating: "d", count: 70)).invalid/photo.jpg"
    let refused = "http://127.0.0.1:\(try Self.closedPort())/photo.jpg"
    let parked = bench.origin.url("/parked.jpg")
    bench.origin.route("/parked.jpg", .always(.html("<html>This domain is for sale</html>")))
    for url in [dead, refused, parked] {
      archive.add(.init(url: url, timestamp: "20180101000000", body: after))
    }
    let lines = [dead, refused, parked].map { bench.jsonLine(url: $0, width: 200, height: 150) }
    try bench.write("a.jsonl", lines.joined(separator: "\n") + "\n")
    let run = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ])
    for url in [dead, refused, parked] {
      let outcome = try XCTUnwrap(run.outcomes.one(url: url))
      XCTAssertEqual(outcome.status, .ok, "\(url): \(outcome)")
      XCTAssertEqual(outcome.original?.source, "archive")
    }
  }

  func testNotArchivedIsReportedBesideTheOriginFailureAndNotAskedAgainUntilItsTime()
    async throws
  {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let revisits = bench.origin.url("/revisits.jpg")
    let captured404 = bench.origin.url("/captured404.jpg")
    archive.add(
      .init(url: revisits, timestamp: "20190101000000", body: Data(), mimetype: "warc/revisit"))
    archive.add(
      .init(
        url: captured404, timestamp: "20190101000000", body: Data("nope".utf8),
        mimetype: "text/html", status: 404))
    let lines = [revisits, captured404].map { bench.jsonLine(url: $0, width: 200, height: 150) }
    try bench.write("a.jsonl", lines.joined(separator: "\n") + "\n")
    let wayback = try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))

    let first = try await bench.run(archives: [wayback])
    for url in [revisits, captured404] {
      let outcome = try XCTUnwrap(first.outcomes.one(url: url))
      XCTAssertEqual(outcome.errorKind, .notArchived, "\(outcome)")
      XCTAssertEqual(outcome.originErrorKind, .httpStatus)
      XCTAssertTrue(outcome.originError?.contains("404") ?? false, "\(outcome)")
    }
    let asked = archive.lookups.count
    XCTAssertGreaterThan(asked, 0)

    let second = try await bench.run(archives: [wayback])
    XCTAssertEqual(second.outcomes.one(url: revisits)?.errorKind, .notArchived)
    XCTAssertEqual(archive.lookups.count, asked, "not asked again within --archive-retry-after")

    _ = try await bench.run(archives: [wayback]) { options, _ in
      options.pipeline.archiveRetryAfter = 0
    }
    XCTAssertGreaterThan(archive.lookups.count, asked, "asked again once the period is over")
  }

  func testAMismatchingDigestMovesToTheNextCaptureAndAnOffHostRedirectIsRefused() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let url = bench.origin.url("/gone.jpg")
    let offHost = bench.origin.url("/offhost.jpg")
    archive.add(
      .init(
        url: url, timestamp: "20190316000000", body: before, digest: ArchiveServer.digest(later)))
    archive.add(.init(url: url, timestamp: "20190320000000", body: after))
    var leaving = ArchiveServer.Capture(url: offHost, timestamp: "20190316000000", body: after)
    leaving.redirectsOffHost = true
    archive.add(leaving)
    let lines = [url, offHost].map {
      bench.jsonLine(url: $0, width: 200, height: 150, published: "2019-03-15")
    }
    try bench.write("a.jsonl", lines.joined(separator: "\n") + "\n")
    let run = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ])

    let recovered = try XCTUnwrap(run.outcomes.one(url: url))
    XCTAssertEqual(recovered.status, .ok, "\(recovered)")
    XCTAssertEqual(recovered.original?.digest, Digest.of(after))
    XCTAssertEqual(recovered.original?.capturedAt, ArchiveServer.date("20190320000000"))

    let refused = try XCTUnwrap(run.outcomes.one(url: offHost))
    XCTAssertEqual(refused.errorKind, .notArchived, "\(refused)")
    XCTAssertTrue(refused.error?.contains("redirected to") ?? false, "\(refused)")
    XCTAssertEqual(
      archive.replays.filter { $0.path.contains("localhost") }.count, 0,
      "the off-host location was never requested")
  }

  func testAllMismatchesEndAsArchiveMismatch() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let url = bench.origin.url("/gone.jpg")
    archive.add(.init(url: url, timestamp: "20190316000000", body: before, digest: "AAAA"))
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 200, height: 150) + "\n")
    let run = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ])
    XCTAssertEqual(run.outcomes.one(url: url)?.errorKind, .archiveMismatch)
    XCTAssertEqual(try bench.cache.original(forURL: url), nil, "nothing stored")
  }

  func testA429WithRetryAfterPausesTheArchiveThenSucceeds() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let url = bench.origin.url("/gone.jpg")
    archive.add(.init(url: url, timestamp: "20190316000000", body: after))
    archive.failNextLookups(1, with: .retryAfter("1"))
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 200, height: 150) + "\n")
    let run = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ])
    XCTAssertEqual(run.outcomes.one(url: url)?.status, .ok)
    let times = archive.lookups.map(\.receivedAt)
    XCTAssertEqual(times.count, 2)
    XCTAssertGreaterThanOrEqual(times[1].timeIntervalSince(times[0]), 0.9, "Retry-After honoured")
  }

  func testAnArchiveThatAlwaysFailsOpensItsCircuitAndTheRunEnds() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    archive.answerEveryRequest(.status(503))
    let urls = (0..<20).map { bench.origin.url("/gone\($0).jpg") }
    try bench.write(
      "a.jsonl",
      urls.map { bench.jsonLine(url: $0, width: 200, height: 150) }.joined(separator: "\n") + "\n")
    var limits = ArchiveLimits.forTests
    limits.failuresToOpen = 3
    let run = try await bench.run(
      archives: [try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))], limits: limits)
    XCTAssertEqual(run.summary.failed, 20)
    XCTAssertEqual(run.summary.failures["archive_unavailable"], 20, "\(run.summary.failures)")
    XCTAssertLessThan(archive.http.totalRequestCount, 20, "the open circuit stopped asking")
  }

  func testACDXAnswerThatIsNotJSONIsArchiveUnavailable() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    archive.answerEveryLookup(.html("<html>maintenance</html>"))
    let url = bench.origin.url("/gone.jpg")
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 200, height: 150) + "\n")
    let run = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ])
    let outcome = try XCTUnwrap(run.outcomes.one(url: url))
    XCTAssertEqual(outcome.errorKind, .archiveUnavailable)
    XCTAssertTrue(outcome.error?.contains("not JSON") ?? false, "\(outcome)")
  }

  func testTheArchiveNeverSeesMoreThanTheConfiguredRate() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let body = Fixtures.photoJPEG(width: 64, height: 48)
    let urls = (0..<200).map { bench.origin.url("/dead\($0).jpg") }
    for url in urls { archive.add(.init(url: url, timestamp: "20190101000000", body: body)) }
    try bench.write(
      "a.jsonl",
      urls.map { bench.jsonLine(url: $0, width: 32, height: 24) }.joined(separator: "\n") + "\n")
    var limits = ArchiveLimits.forTests
    limits.lookupsPerMinute = 1_200  // 20 a second
    limits.replaysPerSecond = 40
    let run = try await bench.run(
      archives: [try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))], limits: limits)
    XCTAssertEqual(run.summary.ok, 200, "\(run.summary.failures)")
    for (requests, perSecond) in [(archive.lookups, 20), (archive.replays, 40)] {
      let times = requests.map(\.receivedAt).sorted()
      XCTAssertEqual(times.count, 200)
      // No window of one second holds more than the rate (a little slack for arrival jitter).
      for index in times.indices.dropLast(perSecond) {
        let span = times[index + perSecond].timeIntervalSince(times[index])
        XCTAssertGreaterThanOrEqual(span, 0.9, "\(perSecond + 1) requests within \(span) s")
      }
    }
  }

  func testAMementoTimeGateRecoversAndAReplayWithoutMementoDatetimeIsNoCapture()
    async throws
  {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let url = bench.origin.url("/gone.jpg")
    archive.add(.init(url: url, timestamp: "20190301000000", body: before))
    archive.add(.init(url: url, timestamp: "20190316000000", body: after))
    try bench.write(
      "a.jsonl",
      bench.jsonLine(url: url, width: 200, height: 150, published: "2019-03-15T00:00:00Z") + "\n")
    let memento = try XCTUnwrap(ArchiveSource.parse(archive.mementoArgument))
    let run = try await bench.run(archives: [memento])
    let outcome = try XCTUnwrap(run.outcomes.one(url: url))
    XCTAssertEqual(outcome.status, .ok, "\(outcome)")
    XCTAssertEqual(outcome.original?.digest, Digest.of(after))
    XCTAssertEqual(outcome.original?.capturedAt, ArchiveServer.date("20190316000000"))
    XCTAssertEqual(
      archive.timeGates.first?.header("Accept-Datetime"), "Fri, 15 Mar 2019 00:00:00 GMT")

    let other = try PrefetchBench()
    let otherURL = other.origin.url("/gone.jpg")
    archive.add(.init(url: otherURL, timestamp: "20190316000000", body: after))
    archive.mementoWithoutDatetime = true
    try other.write("a.jsonl", other.jsonLine(url: otherURL, width: 200, height: 150) + "\n")
    let refused = try await other.run(archives: [memento])
    let line = try XCTUnwrap(refused.outcomes.one(url: otherURL))
    XCTAssertEqual(line.errorKind, .notArchived)
    XCTAssertTrue(line.error?.contains("Memento-Datetime") ?? false, "\(line)")
  }

  func testArchiveOnlySkipsTheOrigin() async throws {
    let bench = try PrefetchBench()
    let archive = try ArchiveServer()
    let url = bench.origin.url("/alive.jpg")
    bench.origin.route("/alive.jpg", .always(.ok(later, contentType: "image/jpeg")))
    archive.add(.init(url: url, timestamp: "20190316000000", body: after))
    try bench.write("a.jsonl", bench.jsonLine(url: url, width: 200, height: 150) + "\n")
    let run = try await bench.run(archives: [
      try XCTUnwrap(ArchiveSource.parse(archive.waybackArgument))
    ]) {
      options, _ in options.pipeline.archiveOnly = true
    }
    XCTAssertEqual(run.outcomes.one(url: url)?.original?.source, "archive")
    XCTAssertEqual(bench.origin.totalRequestCount, 0)
  }

  /// A loopback port nothing listens on.
  static func closedPort() throws -> Int {
    let server = try OriginServer()
    let port = server.port
    server.stop()
    return port
  }
}
