import Crypto
import Foundation
import HalftoneCore
import HalftoneFetch
import XCTest

@testable import HalftoneArchive

/// The archive module's readers and rules, without a server.
final class ArchiveReadingTests: XCTestCase {
  func testBase32SHA1MatchesTheWaybackDigestOfAnEmptyPayload() {
    // The CDX digest of every empty payload in the Wayback Machine.
    XCTAssertEqual(
      PayloadDigestSink.base32(Array(Data().sha1())), "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
    XCTAssertEqual(PayloadDigestSink.normalized("sha1:3i42h3s6"), "3I42H3S6")
  }

  func testCDXRowsAreReadByTheirHeaderAndBadBodiesAreNamed() throws {
    let body = Data(
      """
      [["original","timestamp","mimetype","statuscode","digest","length"],
       ["http://a/x.jpg","20190316120000","image/jpeg","200","ABC","123"],
       ["http://a/x.jpg","20190317","warc/revisit","-","ABC","0"]]
      """.utf8)
    let captures = try CDXReader.captures(body)
    XCTAssertEqual(captures.count, 2)
    XCTAssertEqual(captures[0].timestamp, "20190316120000")
    XCTAssertEqual(captures[0].statusCode, 200)
    XCTAssertEqual(captures[0].length, 123)
    XCTAssertTrue(captures[0].isUsable)
    XCTAssertFalse(captures[1].isUsable, "a revisit is no capture of its own")
    XCTAssertEqual(try CDXReader.captures(Data("[]".utf8)), [])
    XCTAssertEqual(try CDXReader.captures(Data("\n".utf8)), [])
    XCTAssertThrowsError(try CDXReader.captures(Data("<html>".utf8)))
    XCTAssertThrowsError(try CDXReader.captures(Data("{\"a\":1}".utf8)))
    XCTAssertThrowsError(try CDXReader.captures(Data("[[1,2],[3]]".utf8)))
  }

  func testCapturesAtOrAfterPublicationComeFirstClosestFirstThenEarlierOnesThenNewest() {
    func capture(_ stamp: String, _ type: String = "image/jpeg", _ status: Int = 200)
      -> ArchiveCapture
    {
      ArchiveCapture(timestamp: stamp, original: "u", mimetype: type, statusCode: status)
    }
    let all = [
      capture("20180101000000"), capture("20190320000000"), capture("20190315000000"),
      capture("20190310000000"), capture("20190316000000", "text/html"),
      capture("20190317000000", "image/png", 404),
    ]
    let published = ArchiveCapture.date(fromTimestamp: "20190314000000")
    XCTAssertEqual(
      CaptureOrder.sorted(all, published: published).map(\.timestamp),
      ["20190315000000", "20190320000000", "20190310000000", "20180101000000"])
    XCTAssertEqual(
      CaptureOrder.sorted(all, published: nil).first?.timestamp, "20190320000000")
  }

  func testArchiveValuesParseAndBadOnesAreUsageErrors() throws {
    XCTAssertNil(try ArchiveSource.parse("none"))
    XCTAssertEqual(try ArchiveSource.parse("wayback")?.description, "wayback")
    XCTAssertEqual(
      try ArchiveSource.parse("wayback:http://127.0.0.1:9/"),
      .wayback(base: "http://127.0.0.1:9"))
    XCTAssertEqual(
      try ArchiveSource.parse("memento:https://a.example/tg/{url}"),
      .memento(template: "https://a.example/tg/{url}"))
    for bad in ["waybak", "memento:https://a.example/tg/", "wayback:ftp://x", "memento:{url}"] {
      XCTAssertThrowsError(try ArchiveSource.parse(bad), bad) { error in
        XCTAssertEqual((error as? ArchiveError)?.kind, .invalidURL)
      }
    }
  }

  func testGoneOutcomesAreTheOnlyOnesSentToAnArchive() {
    func error(_ kind: ErrorKind, _ status: Int? = nil) -> FetchErrorShape {
      FetchErrorShape(kind: kind, status: status)
    }
    let gone = [
      error(.httpStatus, 404), error(.httpStatus, 410), error(.dns), error(.connect),
      error(.notAnImage),
    ]
    let notGone = [
      error(.httpStatus, 500), error(.httpStatus, 429), error(.httpStatus, 403), error(.timeout),
      error(.blockedAddress), error(.invalidURL), error(.unsupportedScheme), error(.tooLarge),
      error(.network),
    ]
    for shape in gone { XCTAssertTrue(ArchiveRecovery.isGone(shape.error), "\(shape)") }
    for shape in notGone { XCTAssertFalse(ArchiveRecovery.isGone(shape.error), "\(shape)") }
  }

  func testThePacerSpacesRequestsAndOpensAfterRepeatedFailures() async throws {
    var limits = ArchiveLimits()
    limits.lookupsPerMinute = 600  // one each 0.1 s
    limits.failuresToOpen = 2
    let pacer = ArchivePacer(name: "test", limits: limits)
    let start = Date()
    for _ in 0..<4 { try await pacer.acquire(.lookup) }
    XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.29)
    pacer.failed(pause: 0, why: "503")
    pacer.failed(pause: 0, why: "503")
    do {
      try await pacer.acquire(.lookup)
      XCTFail("the circuit should be open")
    } catch let error as ArchiveError {
      XCTAssertEqual(error.kind, .archiveUnavailable)
      XCTAssertTrue(error.message.contains("2 requests in a row failed"), error.message)
    }
  }

  func testAWaitLongerThanMaxWaitFailsAtOnce() async throws {
    var limits = ArchiveLimits()
    limits.lookupsPerMinute = 1  // the next slot is a minute away
    limits.maxWait = 0.5
    let pacer = ArchivePacer(name: "test", limits: limits)
    try await pacer.acquire(.lookup)
    let start = Date()
    do {
      try await pacer.acquire(.lookup)
      XCTFail("a minute's wait is over maxWait")
    } catch let error as ArchiveError {
      XCTAssertEqual(error.kind, .archiveUnavailable)
      XCTAssertLessThan(Date().timeIntervalSince(start), 30, "failed without waiting the minute")
    }
  }
}

struct FetchErrorShape: CustomStringConvertible {
  var kind: ErrorKind
  var status: Int?
  var error: FetchError {
    FetchError(kind: kind, message: "x", url: "http://a/", httpStatus: status)
  }
  var description: String { "\(kind.rawValue) \(status ?? 0)" }
}

extension Data {
  func sha1() -> Insecure.SHA1Digest { Insecure.SHA1.hash(data: self) }
}
