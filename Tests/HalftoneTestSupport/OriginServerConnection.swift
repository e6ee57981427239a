import Foundation

/// One client connection of the test origin: reads requests (keep-alive), answers each as its
/// route says, including the broken answers.
struct OriginConnection {
  let socket: OriginSocket
  let number: Int
  let server: OriginServer

  /// Request heads larger than this get 431 and a closed connection.
  static let maxHeadBytes = 64 * 1024
  /// Idle keep-alive connections are closed after this many milliseconds.
  static let idleTimeout: Int32 = 30_000

  func serve() {
    var buffer: [UInt8] = []
    while let head = readHead(&buffer) {
      guard var request = Self.parse(head, connection: number) else {
        _ = socket.write(Self.refusal(400, "Bad Request"))
        return
      }
      if !discardBody(of: request, from: &buffer) { return }
      let response: OriginResponse
      (request, response) = server.receive(request)
      let (completed, keepAlive) = answer(request, with: response)
      server.responded(to: request, completed: completed)
      if !keepAlive { return }
    }
  }

  /// Reads up to the blank line ending a request head; `nil` when the client closes, the server
  /// stops, the connection idles out or the head is too large.
  private func readHead(_ buffer: inout [UInt8]) -> [UInt8]? {
    let terminator: [UInt8] = [13, 10, 13, 10]
    while true {
      if let end = Self.find(terminator, in: buffer) {
        let head = Array(buffer[..<end])
        buffer.removeFirst(end + terminator.count)
        return head
      }
      if buffer.count > Self.maxHeadBytes {
        _ = socket.write(Self.refusal(431, "Request Header Fields Too Large"))
        return nil
      }
      guard socket.read(into: &buffer, timeout: Self.idleTimeout) else { return nil }
    }
  }

  private func discardBody(of request: OriginRequest, from buffer: inout [UInt8]) -> Bool {
    var remaining = request.header("Content-Length").flatMap { Int($0) } ?? 0
    while remaining > 0 {
      if buffer.isEmpty, !socket.read(into: &buffer, timeout: Self.idleTimeout) { return false }
      let take = min(remaining, buffer.count)
      buffer.removeFirst(take)
      remaining -= take
    }
    return true
  }

  /// Sends `response` (or commits its fault). Returns whether all of it was sent, and whether
  /// the connection may serve another request.
  private func answer(_ request: OriginRequest, with response: OriginResponse) -> (
    completed: Bool, keepAlive: Bool
  ) {
    let broken = (completed: false, keepAlive: false)
    if response.delay > 0, !socket.pause(response.delay) { return broken }
    if let gate = response.gate {
      while !gate.wait(timeout: 0.05) {
        if !socket.pause(0.001) { return broken }
      }
    }
    switch response.fault {
    case .reset?:
      socket.reset()
      return broken
    case .closeWithoutResponse?:
      return broken
    case nil: break
    }

    let isHead = request.method == "HEAD"
    let clientCloses = request.header("Connection")?.lowercased() == "close"
    var close = response.closeConnection || clientCloses
    var framing: [(String, String)] = []
    switch response.body {
    case .data(let data): framing.append(("Content-Length", "\(data.count)"))
    case .drip(let data, _, _): framing.append(("Content-Length", "\(data.count)"))
    case .declaredLength(_, let length):
      framing.append(("Content-Length", "\(length)"))
      close = true  // the stream is out of step with the framing: never reuse it
    case .chunked, .zeros: framing.append(("Transfer-Encoding", "chunked"))
    }
    if close { framing.append(("Connection", "close")) }

    var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
    for (name, value) in response.headers + framing { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    guard socket.write(Array(head.utf8)) else { return broken }
    if isHead || response.status == 304 || response.status == 204 { return (true, !close) }
    guard sendBody(response.body) else { return broken }
    return (true, !close)
  }

  private func sendBody(_ body: OriginBody) -> Bool {
    switch body {
    case .data(let data), .declaredLength(let data, _):
      return socket.write(data)
    case .chunked(let data, let chunkSize):
      var offset = 0
      while offset < data.count {
        let end = min(data.count, offset + max(1, chunkSize))
        guard writeChunk(data[offset..<end]) else { return false }
        offset = end
      }
      return socket.write(Array("0\r\n\r\n".utf8))
    case .zeros(let count, let chunkSize):
      let chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
      var sent = 0
      while sent < count {
        let size = min(chunk.count, count - sent)
        guard writeChunk(chunk[0..<size]) else { return false }
        sent += size
      }
      return socket.write(Array("0\r\n\r\n".utf8))
    case .drip(let data, let bytesPerTick, let interval):
      var offset = 0
      while offset < data.count {
        let end = min(data.count, offset + max(1, bytesPerTick))
        guard socket.write(data[offset..<end]) else { return false }
        offset = end
        if offset < data.count, !socket.pause(interval) { return false }
      }
      return true
    }
  }

  private func writeChunk<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
    socket.write(Array("\(String(bytes.count, radix: 16))\r\n".utf8))
      && socket.write(bytes) && socket.write([13, 10])
  }

  // MARK: Parsing

  static func parse(_ head: [UInt8], connection: Int) -> OriginRequest? {
    let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
    let parts = lines[0].split(separator: " ")
    guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
    let target = String(parts[1])
    let path: String
    let query: String?
    if let mark = target.firstIndex(of: "?") {
      path = String(target[..<mark])
      query = String(target[target.index(after: mark)...])
    } else {
      path = target
      query = nil
    }
    var headers: [(name: String, value: String)] = []
    for line in lines.dropFirst() where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else { return nil }
      headers.append(
        (
          String(line[..<colon]),
          line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        ))
    }
    return OriginRequest(
      method: String(parts[0]), target: target, path: path, query: query, headers: headers,
      index: 0, connection: connection, receivedAt: Date())
  }

  static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count)
    where haystack[start] == needle[0] && Array(haystack[start..<start + needle.count]) == needle {
      return start
    }
    return nil
  }

  /// An empty response that closes the connection, for requests the origin cannot serve.
  static func refusal(_ status: Int, _ reason: String) -> [UInt8] {
    Array("HTTP/1.1 \(status) \(reason)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
  }

  static func reason(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 204: "No Content"
    case 206: "Partial Content"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 303: "See Other"
    case 304: "Not Modified"
    case 307: "Temporary Redirect"
    case 308: "Permanent Redirect"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 410: "Gone"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: "Status \(status)"
    }
  }
}
