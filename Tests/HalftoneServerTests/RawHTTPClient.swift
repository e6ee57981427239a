import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A parsed HTTP/1.1 response.
struct HTTPReply: Sendable {
  var status: Int
  var headers: [(name: String, value: String)]
  /// Every byte after the header block (a HEAD response must have none).
  var body: Data

  /// The first header named `name` (case-insensitive).
  func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }

  var text: String { String(decoding: body, as: UTF8.self) }

  /// The `{"error":{"kind":…}}` body's kind.
  var errorKind: String? {
    guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
      let error = object["error"] as? [String: Any]
    else { return nil }
    return error["kind"] as? String
  }
}

/// Could not talk to the server.
struct HTTPClientError: Error, CustomStringConvertible {
  var description: String
  /// `connect` was refused: nothing listens on the port.
  var refused = false
}

/// A tiny HTTP/1.1 client over a POSIX socket, for tests: sends exactly the request target it is
/// given (no normalisation of `..` or `%2e`, unlike URLSession or curl), one request per
/// connection (`Connection: close`), and reads until the server closes.
///
/// Each request runs on its own thread: a blocking socket must never occupy a thread of the
/// Swift concurrency pool, which the in-process server needs to answer it.
enum RawHTTPClient {
  static func get(
    port: Int, _ target: String, method: String = "GET", headers: [(String, String)] = []
  ) async throws -> HTTPReply {
    try await send(port: port, request(port: port, target, method: method, headers: headers))
  }

  /// The bytes of one request; `closing` adds `Connection: close`.
  static func request(
    port: Int, _ target: String, method: String = "GET", headers: [(String, String)] = [],
    closing: Bool = true
  ) -> Data {
    var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    if closing { request += "Connection: close\r\n" }
    return Data((request + "\r\n").utf8)
  }

  /// Sends raw bytes and parses whatever comes back.
  static func send(port: Int, _ bytes: Data) async throws -> HTTPReply {
    try parse(try await exchange(port: port, bytes))
  }

  /// Sends raw bytes and returns every byte received until the server closed the connection.
  static func exchange(port: Int, _ bytes: Data) async throws -> Data {
    try await onOwnThread { try blockingExchange(port: port, bytes) }
  }

  /// Runs blocking socket work on a thread of its own.
  static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
  {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread { continuation.resume(with: Result { try work() }) }
      thread.stackSize = 1 << 20
      thread.start()
    }
  }

  /// Whether a TCP connection to the port is accepted right now.
  static func canConnect(port: Int) async -> Bool {
    await withCheckedContinuation { continuation in
      Thread {
        guard let fd = try? connect(port: port) else {
          continuation.resume(returning: false)
          return
        }
        close(fd)
        continuation.resume(returning: true)
      }.start()
    }
  }

  static func connect(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw HTTPClientError(description: "socket: \(errnoText())") }
    var timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      let code = errno
      close(fd)
      throw HTTPClientError(
        description: "connect to 127.0.0.1:\(port): \(errnoText())", refused: code == ECONNREFUSED)
    }
    return fd
  }

  private static func blockingExchange(port: Int, _ bytes: Data) throws -> Data {
    let fd = try connect(port: port)
    defer { close(fd) }
    try writeAll(fd, bytes)
    var received = Data()
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = read(fd, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw HTTPClientError(description: "read: \(errnoText()) after \(received.count) bytes")
      }
      if count == 0 { break }
      received.append(contentsOf: chunk[0..<count])
    }
    return received
  }

  static func writeAll(_ fd: Int32, _ bytes: Data) throws {
    try bytes.withUnsafeBytes { raw in
      var sent = 0
      while sent < raw.count {
        let result = write(fd, raw.baseAddress! + sent, raw.count - sent)
        if result < 0 {
          if errno == EINTR { continue }
          throw HTTPClientError(description: "write: \(errnoText())")
        }
        sent += result
      }
    }
  }

  static func parse(_ data: Data) throws -> HTTPReply {
    let separator = Data("\r\n\r\n".utf8)
    guard let end = data.range(of: separator) else {
      throw HTTPClientError(description: "no complete response head in \(data.count) bytes")
    }
    let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
      throw HTTPClientError(description: "bad status line in \(head.prefix(80))")
    }
    let headers = lines.compactMap { line -> (name: String, value: String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]),
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
    return HTTPReply(status: status, headers: headers, body: Data(data[end.upperBound...]))
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}
