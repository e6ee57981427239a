import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (or another loopback address; ephemeral port) for tests,
/// built on POSIX sockets and one thread per connection so it can misbehave on purpose: wrong
/// lengths, resets, slow drips, redirect loops, gzip bombs, 429s.
///
/// ```swift
/// let origin = try OriginServer()
/// defer { origin.stop() }
/// origin.route("/a.png", .sequence([.status(500), .ok(png, contentType: "image/png")]))
/// … fetch origin.url("/a.png") …
/// XCTAssertEqual(origin.requestCount("/a.png"), 2)
/// ```
/// Unknown paths answer 404. Keep-alive is supported; `HEAD` gets the headers without the body.
/// `stop()` (or deinit) closes every connection and joins every thread.
public final class OriginServer: @unchecked Sendable {
  /// The loopback address it listens on (127.0.0.1 unless given).
  public let host: String
  /// The ephemeral port it listens on.
  public let port: Int
  private let listenFD: Int32
  private let stopRead: Int32
  private let stopWrite: Int32
  private let threads = DispatchGroup()
  private let lock = NSLock()
  private var state = Statistics()

  private struct Statistics {
    var routes: [String: OriginRoute] = [:]
    /// Answers paths no route names (a test archive's replay paths).
    var fallback: OriginRoute?
    var stopped = false
    var countByPath: [String: Int] = [:]
    var countByTarget: [String: Int] = [:]
    var completedByPath: [String: Int] = [:]
    /// Per route variant (path, has query): feeds `OriginRequest.index`.
    var indexByVariant: [String: Int] = [:]
    var requests: [OriginRequest] = []
    var inFlight = 0
    var maxInFlight = 0
    var openConnections = 0
    var maxOpenConnections = 0
    var acceptedConnections = 0
  }

  /// Requests kept for `requests(…)`; older ones are dropped (counts stay exact).
  public static let recordedRequestLimit = 10_000

  /// Starts listening on `host`, a loopback IPv4 address (Linux answers on all of 127.0.0.0/8,
  /// which lets a test run a second "host"); throws if no socket can be bound.
  public init(host: String = "127.0.0.1") throws(OriginServerError) {
    let (fd, port) = try OriginSocket.makeListener(host: host)
    self.host = host
    var pipeFDs: [Int32] = [0, 0]
    guard pipe(&pipeFDs) == 0 else {
      close(fd)
      throw OriginServerError(description: "pipe: \(OriginSocket.errnoText())")
    }
    listenFD = fd
    self.port = port
    stopRead = pipeFDs[0]
    stopWrite = pipeFDs[1]
    threads.enter()
    let acceptor = Thread { [self] in
      acceptLoop()
      threads.leave()
    }
    acceptor.name = "origin-accept-\(port)"
    acceptor.start()
  }

  deinit { stop() }

  /// `http://<host>:<port>`, e.g. `http://127.0.0.1:40123`.
  public var baseURL: String { "http://\(host):\(port)" }

  /// The absolute URL of `pathAndQuery` (which starts with `/`).
  public func url(_ pathAndQuery: String) -> String { baseURL + pathAndQuery }

  /// Sets (or replaces) what `path` (no query) answers.
  public func route(_ path: String, _ route: OriginRoute) {
    lock.withLock { state.routes[path] = route }
  }

  /// Sets what every path without a route of its own answers.
  public func fallback(_ route: OriginRoute) {
    lock.withLock { state.fallback = route }
  }

  /// Requests received for `path`, with or without a query.
  public func requestCount(_ path: String) -> Int {
    lock.withLock { state.countByPath[path, default: 0] }
  }

  /// Requests received for exactly this path and query (`"/a.jpg?width=200"`).
  public func requestCount(target: String) -> Int {
    lock.withLock { state.countByTarget[target, default: 0] }
  }

  /// Responses to `path` sent in full (a client that aborts mid-body leaves this unchanged; faults
  /// never count).
  public func completedResponseCount(_ path: String) -> Int {
    lock.withLock { state.completedByPath[path, default: 0] }
  }

  /// Requests received in all.
  public var totalRequestCount: Int {
    lock.withLock { state.countByPath.values.reduce(0, +) }
  }

  /// The recorded requests for `path` (with or without query), oldest first; all when `nil`.
  public func requests(_ path: String? = nil) -> [OriginRequest] {
    lock.withLock { state.requests.filter { path == nil || $0.path == path } }
  }

  /// Requests being answered right now (read, response not fully sent).
  public var requestsInFlight: Int { lock.withLock { state.inFlight } }
  /// The most requests ever in flight at once.
  public var maxRequestsInFlight: Int { lock.withLock { state.maxInFlight } }
  /// Connections open right now.
  public var openConnections: Int { lock.withLock { state.openConnections } }
  /// The most connections ever open at once.
  public var maxOpenConnections: Int { lock.withLock { state.maxOpenConnections } }
  /// Connections accepted so far (fewer than requests means keep-alive worked).
  public var acceptedConnections: Int { lock.withLock { state.acceptedConnections } }

  /// Clears counts, recorded requests and maxima (routes stay).
  public func resetStatistics() {
    lock.withLock {
      state.countByPath = [:]
      state.countByTarget = [:]
      state.completedByPath = [:]
      state.indexByVariant = [:]
      state.requests = []
      state.maxInFlight = state.inFlight
      state.maxOpenConnections = state.openConnections
      state.acceptedConnections = 0
    }
  }

  /// Closes the listener and every connection, interrupts delays and gates, and waits for every
  /// server thread to end. Idempotent.
  public func stop() {
    let first = lock.withLock {
      defer { state.stopped = true }
      return !state.stopped
    }
    guard first else { return }
    var byte: UInt8 = 1
    _ = write(stopWrite, &byte, 1)
    if threads.wait(timeout: .now() + 10) == .timedOut {
      // A thread stuck in a syscall would be a bug here; leave its descriptors alone.
      return
    }
    close(listenFD)
    close(stopRead)
    close(stopWrite)
  }

  // MARK: Threads

  private func acceptLoop() {
    var connectionNumber = 0
    while OriginSocket.wait(listenFD, events: Int16(POLLIN), stopFD: stopRead, timeout: -1) {
      let client = accept(listenFD, nil, nil)
      guard client >= 0 else { continue }
      _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
      _ = fcntl(client, F_SETFD, FD_CLOEXEC)
      connectionNumber += 1
      let number = connectionNumber
      lock.withLock {
        state.acceptedConnections += 1
        state.openConnections += 1
        state.maxOpenConnections = max(state.maxOpenConnections, state.openConnections)
      }
      threads.enter()
      let worker = Thread { [self] in
        let connection = OriginConnection(
          socket: OriginSocket(fd: client, stopFD: stopRead), number: number, server: self)
        connection.serve()
        close(client)
        lock.withLock { state.openConnections -= 1 }
        threads.leave()
      }
      worker.name = "origin-conn-\(number)"
      worker.start()
    }
  }

  // MARK: Used by OriginConnection

  /// Records `request` (filling in its index) and returns it with the response its route gives.
  func receive(_ request: OriginRequest) -> (OriginRequest, OriginResponse) {
    let (request, route) = lock.withLock {
      var request = request
      let variant = request.path + (request.query == nil ? "" : "?")
      request.index = state.indexByVariant[variant, default: 0]
      state.indexByVariant[variant] = request.index + 1
      state.countByPath[request.path, default: 0] += 1
      state.countByTarget[request.target, default: 0] += 1
      state.requests.append(request)
      if state.requests.count > Self.recordedRequestLimit { state.requests.removeFirst() }
      state.inFlight += 1
      state.maxInFlight = max(state.maxInFlight, state.inFlight)
      return (request, state.routes[request.path] ?? state.fallback)
    }
    let response =
      route?.response(to: request)
      ?? .text("no route for \(request.path) on the test origin\n", status: 404)
    return (request, response)
  }

  /// The answer to `request` is over; `completed` when every byte of it was sent.
  func responded(to request: OriginRequest, completed: Bool) {
    lock.withLock {
      state.inFlight -= 1
      if completed { state.completedByPath[request.path, default: 0] += 1 }
    }
  }
}
