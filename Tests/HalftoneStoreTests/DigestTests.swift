import Foundation
import HalftoneStore
import XCTest

final class DigestTests: XCTestCase {
  func testKnownVectors() {
    XCTAssertEqual(
      Digest.of(Data("abc".utf8)).hex,
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      Digest.of(Data()).hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  func testHexAcceptsOnlySixtyFourLowercaseHexCharacters() {
    let good = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    XCTAssertEqual(Digest(hex: good)?.hex, good)
    XCTAssertNil(Digest(hex: good.uppercased()))
    XCTAssertNil(Digest(hex: String(good.dropLast())))
    XCTAssertNil(Digest(hex: good + "0"))
    XCTAssertNil(Digest(hex: "../" + good.dropFirst(3)))
    XCTAssertNil(Digest(hex: String(good.dropLast()) + "g"))
    XCTAssertNil(Digest(hex: String(good.dropLast()) + "/"))
    XCTAssertNil(Digest(hex: ""))
    // Non-ASCII look-alikes (fullwidth digits) are not hex.
    XCTAssertNil(Digest(hex: String(good.dropLast()) + "\u{FF10}"))
  }

  func testCodableAsPlainHexString() throws {
    let digest = Digest.of(Data("abc".utf8))
    let json = try JSONEncoder().encode([digest])
    XCTAssertEqual(String(decoding: json, as: UTF8.self), "[\"\(digest.hex)\"]")
    XCTAssertEqual(try JSONDecoder().decode([Digest].self, from: json), [digest])
    XCTAssertThrowsError(try JSONDecoder().decode([Digest].self, from: Data("[\"abc\"]".utf8)))
  }
}

final class QuantitiesTests: XCTestCase {
  func testSizes() {
    XCTAssertEqual(Quantities.bytes("500M"), 500 * 1_048_576)
    XCTAssertEqual(Quantities.bytes("2G"), 2 * 1_073_741_824)
    XCTAssertEqual(Quantities.bytes("2gb"), 2 * 1_073_741_824)
    XCTAssertEqual(Quantities.bytes("1.5K"), 1536)
    XCTAssertEqual(Quantities.bytes("4096"), 4096)
    XCTAssertEqual(Quantities.bytes("64KiB"), 65536)
    XCTAssertNil(Quantities.bytes("0"))
    XCTAssertNil(Quantities.bytes("-5M"))
    XCTAssertNil(Quantities.bytes("5X"))
    XCTAssertNil(Quantities.bytes("M"))
    XCTAssertNil(Quantities.bytes(""))
    XCTAssertNil(Quantities.bytes("99999999999999T"))
  }

  func testAges() {
    XCTAssertEqual(Quantities.seconds("30d"), 30 * 86_400)
    XCTAssertEqual(Quantities.seconds("12h"), 12 * 3_600)
    XCTAssertEqual(Quantities.seconds("45m"), 45 * 60)
    XCTAssertEqual(Quantities.seconds("90s"), 90)
    XCTAssertEqual(Quantities.seconds("2w"), 14 * 86_400)
    XCTAssertEqual(Quantities.seconds("120"), 120)
    XCTAssertNil(Quantities.seconds("0d"))
    XCTAssertNil(Quantities.seconds("3y"))
    XCTAssertNil(Quantities.seconds("d"))
  }

  func testDescribe() {
    XCTAssertEqual(Quantities.describe(bytes: 512), "512 B")
    XCTAssertEqual(Quantities.describe(bytes: 1536), "1.5 KiB")
    XCTAssertEqual(Quantities.describe(bytes: 3 * 1_073_741_824), "3.0 GiB")
  }
}

final class DefaultRootTests: XCTestCase {
  func testOptionThenEnvironmentThenWorkingDirectory() {
    XCTAssertEqual(
      Cache.defaultRoot(
        option: "/srv/c", environment: ["HALFTONE_CACHE": "/env/c"], currentDirectory: "/w"
      ).path, "/srv/c")
    XCTAssertEqual(
      Cache.defaultRoot(
        option: nil, environment: ["HALFTONE_CACHE": "/env/c"], currentDirectory: "/w"
      ).path, "/env/c")
    XCTAssertEqual(
      Cache.defaultRoot(option: nil, environment: [:], currentDirectory: "/w").path, "/w/Cache")
    XCTAssertEqual(
      Cache.defaultRoot(option: "rel/dir", environment: [:], currentDirectory: "/w").path,
      "/w/rel/dir")
    XCTAssertEqual(
      Cache.defaultRoot(option: nil, environment: ["HALFTONE_CACHE": ""], currentDirectory: "/w")
        .path, "/w/Cache")
  }
}
