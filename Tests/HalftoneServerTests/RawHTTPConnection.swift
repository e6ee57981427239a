import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One kept-alive connection to the server, for what only shows across requests on a
/// connection: pipelining, the idle timeout, graceful shutdown. Every blocking call runs on a
/// thread of its own; calls must not overlap.
final class RawHTTPConnection: @unchecked Sendable {
  private let fd: Int32
  /// Bytes received and not yet returned as a response.
  private var received = Data()

  /// What `waitForActivity` saw.
  enum Activity: Equatable {
    case bytes, closed, silence
  }

  private init(fd: Int32) { self.fd = fd }

  deinit { close(fd) }

  static func open(port: Int) async throws -> RawHTTPConnection {
    RawHTTPConnection(
      fd: try await RawHTTPClient.onOwnThread { try RawHTTPClient.connect(port: port) })
  }

  /// Closes both directions of the connection, as a client that gives up does (the server reads
  /// the end of its input).
  func hangUp() { shutdown(fd, Int32(SHUT_RDWR)) }

  /// Writes `bytes` at once (several requests in one write are pipelined).
  func send(_ bytes: Data) async throws {
    let fd = self.fd
    try await RawHTTPClient.onOwnThread { try RawHTTPClient.writeAll(fd, bytes) }
  }

  /// The next whole response and its raw bytes. `bodyless`: it answers a HEAD (its
  /// `Content-Length` describes a body that is not sent).
  func nextResponse(bodyless: Bool = false) async throws -> (reply: HTTPReply, raw: Data) {
    try await RawHTTPClient.onOwnThread { try self.blockingNextResponse(bodyless: bodyless) }
  }

  /// Waits up to `seconds` for something from the server: bytes (kept for `nextResponse`), the
  /// end of the stream, or nothing.
  func waitForActivity(seconds: TimeInterval) async throws -> Activity {
    try await RawHTTPClient.onOwnThread {
      try self.readSome(until: Date(timeIntervalSinceNow: seconds))
    }
  }

  private func blockingNextResponse(bodyless: Bool) throws -> (reply: HTTPReply, raw: Data) {
    let deadline = Date(timeIntervalSinceNow: 30)
    while true {
      if let length = try Self.responseLength(in: received, bodyless: bodyless) {
        let raw = Data(received.prefix(length))
        received = Data(received.dropFirst(length))
        return (try RawHTTPClient.parse(raw), raw)
      }
      switch try readSome(until: deadline) {
      case .bytes: continue
      case .closed:
        throw HTTPClientError(
          description: "connection closed with \(received.count) bytes of a response")
      case .silence:
        throw HTTPClientError(description: "no whole response in 30 s (\(received.count) bytes)")
      }
    }
  }

  private func readSome(until deadline: Date) throws -> Activity {
    while true {
      var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let milliseconds = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
      let ready = poll(&request, 1, milliseconds)
      if ready < 0 {
        if errno == EINTR { continue }
        throw HTTPClientError(description: "poll: \(RawHTTPClient.errnoText())")
      }
      if ready == 0 { return .silence }
      var chunk = [UInt8](repeating: 0, count: 64 * 1024)
      let count = read(fd, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        if errno == ECONNRESET { return .closed }
        throw HTTPClientError(description: "read: \(RawHTTPClient.errnoText())")
      }
      if count == 0 { return .closed }
      received.append(contentsOf: chunk[0..<count])
      return .bytes
    }
  }

  /// The length of the first response in `data` once all of it is there.
  private static func responseLength(in data: Data, bodyless: Bool) throws -> Int? {
    guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
    let headLength = end.upperBound - data.startIndex
    let head = try RawHTTPClient.parse(Data(data.prefix(headLength)))
    var bodyLength = Int(head.header("Content-Length") ?? "0") ?? 0
    if bodyless || head.status == 304 || head.status == 204 { bodyLength = 0 }
    return data.count >= headLength + bodyLength ? headLength + bodyLength : nil
  }
}
