import Foundation
import HalftoneTestSupport
import XCTest

@testable import HalftoneFetch

/// The test origin's own behaviour that other suites rely on.
final class OriginServerTests: FetchTestCase {
  func testBarePathAndQueryCanAnswerDifferently() async throws {
    let master = pngLike(500)
    origin.route(
      "/photo.jpg",
      OriginRoute.always(.ok(master, contentType: "image/png"))
        .withQuery(.always(.ok(tinyPNG, contentType: "image/png"))))
    let fetcher = try makeFetcher()
    let bare = await success(fetcher, FetchRequest(url: origin.url("/photo.jpg")))
    let transformed = await success(fetcher, FetchRequest(url: origin.url("/photo.jpg?width=200")))
    XCTAssertEqual(bare?.body, master)
    XCTAssertEqual(transformed?.body, tinyPNG)
    XCTAssertEqual(origin.requestCount("/photo.jpg"), 2)
    XCTAssertEqual(origin.requestCount(target: "/photo.jpg?width=200"), 1)
    XCTAssertEqual(origin.requestCount(target: "/photo.jpg"), 1)
  }

  func testHeadGetsHeadersWithoutBody() throws {
    origin.route("/h.png", .always(.ok(tinyPNG, contentType: "image/png")))
    let reply = try rawExchange("HEAD /h.png HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    XCTAssertTrue(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), reply)
    XCTAssertTrue(reply.contains("Content-Length: \(tinyPNG.count)\r\n"), reply)
    XCTAssertTrue(reply.hasSuffix("\r\n\r\n"), "no body after the head: \(reply)")
    XCTAssertEqual(origin.requests("/h.png").first?.method, "HEAD")
  }

  func testUnknownPathIs404() throws {
    let reply = try rawExchange("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    XCTAssertTrue(reply.hasPrefix("HTTP/1.1 404 Not Found\r\n"), reply)
  }

  func testStopEndsIdleKeepAliveConnections() throws {
    origin.route("/k", .always(.text("k")))
    let fd = try connectToOrigin()
    defer { close(fd) }
    _ = send(fd, "GET /k HTTP/1.1\r\nHost: x\r\n\r\n", 27, 0)
    let started = Date()
    while origin.openConnections != 1 && Date().timeIntervalSince(started) < 10 { usleep(10_000) }
    origin.stop()  // must return although the client keeps its connection open
    XCTAssertEqual(origin.openConnections, 0)
  }

  private func connectToOrigin() throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(origin.port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(fd)
      throw OriginServerError(description: "connect failed")
    }
    return fd
  }

  /// Sends `request` on a fresh connection and reads until the server closes it.
  private func rawExchange(_ request: String) throws -> String {
    let fd = try connectToOrigin()
    defer { close(fd) }
    let bytes = Array(request.utf8)
    _ = send(fd, bytes, bytes.count, 0)
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = recv(fd, &buffer, buffer.count, 0)
      if count <= 0 { break }
      reply += buffer[0..<count]
    }
    return String(decoding: reply, as: UTF8.self)
  }
}
