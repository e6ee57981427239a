import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Errors starting the test origin.
public struct OriginServerError: Error, CustomStringConvertible {
  public var description: String

  public init(description: String) { self.description = description }
}

/// POSIX socket helpers for the test origin. Client sockets are non-blocking; every wait also
/// watches the server's stop pipe so `stop()` interrupts it.
struct OriginSocket {
  let fd: Int32
  /// Read end of the server's stop pipe: readable once the server stops.
  let stopFD: Int32

  /// A listening TCP socket on `host` (a loopback IPv4 address) with an ephemeral port.
  static func makeListener(host: String) throws(OriginServerError) -> (fd: Int32, port: Int) {
    guard host.hasPrefix("127."), inet_addr(host) != INADDR_NONE else {
      throw OriginServerError(description: "the test origin only listens on loopback, not \(host)")
    }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw OriginServerError(description: "socket: \(errnoText())") }
    var reuse: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr(host)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 128) == 0 else {
      let text = errnoText()
      close(fd)
      throw OriginServerError(description: "bind/listen on \(host): \(text)")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }

  /// Waits for `fd` to be ready for `events` (or the stop pipe); `true` when ready.
  /// `timeout` in milliseconds, -1 for no limit.
  static func wait(_ fd: Int32, events: Int16, stopFD: Int32, timeout: Int32) -> Bool {
    var fds = [
      pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0),
      pollfd(fd: fd, events: events, revents: 0),
    ]
    while true {
      let ready = poll(&fds, 2, timeout)
      if ready < 0 && errno == EINTR { continue }
      guard ready > 0, fds[0].revents == 0 else { return false }
      return fds[1].revents != 0
    }
  }

  /// Sleeps `seconds` unless the server stops or the client hangs up first (then `false`).
  func pause(_ seconds: TimeInterval) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    var watchClient = true
    while true {
      let remaining = deadline.timeIntervalSinceNow
      if remaining <= 0 { return true }
      var fds = [pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
      if watchClient { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
      let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining * 1000 + 1, 60_000)))
      if ready < 0 && errno != EINTR { return false }
      if fds[0].revents != 0 { return false }
      if watchClient, fds[1].revents != 0 {
        var byte: UInt8 = 0
        let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK))
        if peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EINTR) { return false }
        watchClient = false  // a pipelined request: stop watching, it stays readable
      }
    }
  }

  /// Reads what is available (waiting up to `timeout` ms); `nil` on EOF, error, stop or timeout.
  func read(into buffer: inout [UInt8], timeout: Int32) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let count = recv(fd, &chunk, chunk.count, 0)
      if count > 0 {
        buffer.append(contentsOf: chunk[0..<count])
        return true
      }
      if count == 0 { return false }
      guard errno == EAGAIN || errno == EINTR else { return false }
      guard Self.wait(fd, events: Int16(POLLIN), stopFD: stopFD, timeout: timeout) else {
        return false
      }
    }
  }

  /// Sends every byte unless the client goes away or the server stops; `false` then.
  func write<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
    let array = Array(bytes)
    var offset = 0
    while offset < array.count {
      let sent = array[offset...].withUnsafeBytes { raw in
        send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
      }
      if sent > 0 {
        offset += sent
        continue
      }
      guard sent < 0, errno == EAGAIN || errno == EINTR else { return false }
      guard Self.wait(fd, events: Int16(POLLOUT), stopFD: stopFD, timeout: 10_000) else {
        return false
      }
    }
    return true
  }

  /// Closes with `SO_LINGER` 0 so the peer gets a TCP reset rather than a clean end.
  func reset() {
    var option = linger(l_onoff: 1, l_linger: 0)
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
  }
}
