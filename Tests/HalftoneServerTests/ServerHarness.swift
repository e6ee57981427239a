import Foundation
import Halftone
import HalftoneArchive
import HalftoneFetch
import HalftoneServer
import HalftoneSpec
import HalftoneStore
import Logging
import XCTest

/// A real server on 127.0.0.1 (port 0) over a fresh cache directory, for one test.
final class ServerHarness: @unchecked Sendable {
  let root: URL
  let cache: Cache
  let server: HalftoneServer
  let running: RunningServer
  let fetcher: Fetcher?
  let logLines: LogLines
  /// The access log's file (unless the test chose another destination).
  let accessLogPath: String
  var port: Int { running.address.port }

  /// - Parameters:
  ///   - onDemand: also builds a `Fetcher` (SSRF guard as `allowPrivate` says) and a `Prefetcher`.
  ///   - configureCache: changes to the cache's options (durability is off already).
  ///   - pipelineOptions: the resolver's options (e.g. `--fetch as-written`).
  static func start(
    configure: (inout HalftoneServerConfiguration) -> Void = { _ in },
    onDemand: Bool = false, allowPrivate: Bool = true, cacheRoot: URL? = nil,
    configureCache: (inout CacheOptions) -> Void = { _ in },
    pipelineOptions: PipelineOptions = PipelineOptions(), archives: [ArchiveSource] = []
  ) async throws -> ServerHarness {
    let root =
      cacheRoot
      ?? FileManager.default.temporaryDirectory.appendingPathComponent(
        "halftone-server-\(UUID().uuidString)")
    var options = CacheOptions()
    options.durable = false
    configureCache(&options)
    let cache = try Cache.open(root: root, options: options)
    var configuration = HalftoneServerConfiguration()
    configuration.port = 0
    configuration.onDemand = onDemand
    let accessLogPath = root.path + "-access.log"
    configuration.accessLog = .file(accessLogPath)
    configure(&configuration)
    var fetcher: Fetcher?
    if configuration.onDemand {
      fetcher = try Fetcher(
        policy: FetchPolicy(totalTimeout: 30, maxAttempts: 1, allowPrivateAddresses: allowPrivate))
    }
    let recovery = fetcher.flatMap { fetcher in
      archives.isEmpty ? nil : ArchiveRecovery(archives: archives, fetcher: fetcher)
    }
    let pipeline = ImagePipeline(
      cache: cache, fetcher: fetcher, archives: recovery, options: pipelineOptions)
    let lines = LogLines()
    var logger = Logger(label: "halftone.test") { _ in CapturingLogHandler(lines: lines) }
    logger.logLevel = .info
    let server = try HalftoneServer(
      configuration: configuration, pipeline: pipeline, logger: logger)
    let running = try await server.start()
    return ServerHarness(
      root: root, cache: cache, server: server, running: running, fetcher: fetcher,
      logLines: lines, accessLogPath: accessLogPath)
  }

  private init(
    root: URL, cache: Cache, server: HalftoneServer, running: RunningServer, fetcher: Fetcher?,
    logLines: LogLines, accessLogPath: String
  ) {
    self.accessLogPath = accessLogPath
    self.root = root
    self.cache = cache
    self.server = server
    self.running = running
    self.fetcher = fetcher
    self.logLines = logLines
  }

  /// Graceful shutdown, then the cache directory is removed.
  func stop() async throws {
    try await running.shutdown()
    fetcher?.shutdown()
    try? FileManager.default.removeItem(at: root)
    try? FileManager.default.removeItem(atPath: accessLogPath)
  }

  /// The access-log lines written so far (waiting ones are written first).
  func accessLines() -> [String] {
    server.flushAccessLog()
    let text = (try? String(contentsOfFile: accessLogPath, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  func get(_ target: String, headers: [(String, String)] = []) async throws -> HTTPReply {
    try await RawHTTPClient.get(port: port, target, headers: headers)
  }

  func head(_ target: String, headers: [(String, String)] = []) async throws -> HTTPReply {
    try await RawHTTPClient.get(port: port, target, method: "HEAD", headers: headers)
  }

  /// Every byte of the answer to one request (on a connection of its own, `Connection: close`).
  func raw(
    _ target: String, method: String = "GET", headers: [(String, String)] = []
  ) async throws -> Data {
    try await RawHTTPClient.exchange(
      port: port, RawHTTPClient.request(port: port, target, method: method, headers: headers))
  }

  /// The value of the unlabelled metric `name` (or of the series `name{labels}`); `nil` when
  /// `/metrics` has no such line.
  func metric(_ series: String) async throws -> Double? {
    let text = try await get("/metrics").text
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
      return Double(line.dropFirst(series.count + 1))
    }
    return nil
  }

  /// Requests answered on the event loop by the hot-blob fast path so far.
  func fastPathResponses() async throws -> Int {
    Int(try await metric("halftone_http_fast_path_responses_total") ?? -1)
  }

  /// Breaks the index's schema from another process (SQLite through Python's sqlite3 module),
  /// so every later query of the server fails.
  func breakIndex() throws {
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", "-c",
      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
        + "c.execute('ALTER TABLE originals RENAME TO originals_gone'); c.commit()",
      root.appendingPathComponent("index.sqlite").path,
    ]
    try python.run()
    python.waitUntilExit()
    XCTAssertEqual(python.terminationStatus, 0, "python3 could not alter the index")
  }

  // MARK: Seeding the cache without the network

  /// Stores `bytes` as the original of `url`.
  @discardableResult
  func seedOriginal(url: String, bytes: Data, format: ImageFormat = .jpeg) throws -> Digest {
    let digest = try cache.putBlob(bytes)
    try cache.recordOriginal(url: url, original: digest, format: format, bytes: bytes.count)
    return digest
  }

  /// Stores `bytes` as the thumbnail of `original` for `spec`.
  @discardableResult
  func seedThumbnail(
    original: Digest, spec: ThumbnailSpec, bytes: Data, format: ImageFormat
  ) throws -> Digest {
    let digest = try cache.putBlob(bytes)
    try cache.recordThumbnail(
      original: original, specKey: spec.canonicalKey, thumbnail: digest, width: 10, height: 10,
      format: format, bytes: bytes.count)
    return digest
  }
}

/// `/thumbnails?…` for `url` with the query canonically encoded (and signed with `keys`).
func thumbnailsPath(
  _ url: String, width: Int? = nil, height: Int? = nil, format: OutputFormat? = nil,
  keys: SigningKeys = SigningKeys()
) throws -> String {
  try ThumbnailLink.path(url: url, width: width, height: height, format: format, keys: keys)
}

/// Percent-encodes a whole value for a query (everything but unreserved characters).
func encoded(_ text: String) -> String { CanonicalQuery.canonicalEncoded(text) }

/// Bytes that sniff as each format (the server never decodes what it serves).
enum FakeImage {
  static func jpeg(_ tag: String) -> Data { Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(tag.utf8) }
  static func webp(_ tag: String) -> Data {
    Data("RIFF".utf8) + Data([0x10, 0, 0, 0]) + Data("WEBPVP8 ".utf8) + Data(tag.utf8)
  }
  static func avif(_ tag: String) -> Data {
    Data([0, 0, 0, 0x1C]) + Data("ftypavif".utf8) + Data(repeating: 0, count: 8) + Data(tag.utf8)
  }
}

/// Log lines captured from the server's logger.
final class LogLines: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []

  func append(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}

struct CapturingLogHandler: LogHandler {
  let lines: LogLines
  var logLevel: Logger.Level = .info
  var metadata: Logger.Metadata = [:]

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    lines.append("\(event.level) \(event.message)")
  }
}
