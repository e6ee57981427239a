import ArgumentParser
import Foundation
import Halftone
import HalftoneArchive
import HalftoneFetch
import HalftoneServer
import HalftoneStore

/// `halftone serve`: the HTTP server over the cache.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve cached blobs and thumbnails over HTTP.",
    discussion: """
      Routes: GET|HEAD /blobs/{sha256}, \
      /thumbnails?url=U[&width=W&height=H][&format=F][&sig=S], /images?url=U, /healthz, \
      /metrics. Prints "halftone: serving http://HOST:PORT" once listening (with --port 0, the \
      port the system picked). On SIGTERM or SIGINT it stops accepting connections, finishes \
      the requests in flight and exits.

      With a signing key file, every /thumbnails request must carry a valid sig (see \
      `halftone sign`). --on-demand makes missing thumbnails on request (fetch, render, \
      store); those fetches refuse loopback and private addresses unless \
      --allow-private-addresses.

      These options can also come from the environment (the flag wins): HALFTONE_CACHE, \
      HALFTONE_STORE, HALFTONE_HOST, HALFTONE_PORT, HALFTONE_SIGNING_KEY_FILE, \
      HALFTONE_ON_DEMAND=1, HALFTONE_ALLOW_PRIVATE_ADDRESSES=1, HALFTONE_QUEUE, \
      HALFTONE_WORKERS, HALFTONE_DEADLINE, HALFTONE_MEMORY_CACHE_MB, HALFTONE_LOG_LEVEL, \
      HALFTONE_ACCESS_LOG, HALFTONE_FETCH; the bucket's from AWS_* as for every command.
      """
  )

  @OptionGroup var cache: CacheOption

  @OptionGroup(title: "Web archives (with --on-demand only)") var archiveOptions: ArchiveOption
  @OptionGroup var urlRulesOption: URLRulesOption

  @Option(help: "Interface to bind (default 127.0.0.1: loopback only).")
  var host: String?

  @Option(help: "TCP port; 0 picks a free one (default 8080).")
  var port: Int?

  @Option(help: "File of HMAC keys, one per line, the first signs: /thumbnails then requires sig.")
  var signingKeyFile: String?

  @Flag(inversion: .prefixedNo, help: "Make missing thumbnails on request (default off).")
  var onDemand: Bool?

  @Flag(
    inversion: .prefixedNo,
    help: "Let on-demand fetches reach loopback and private addresses (default off).")
  var allowPrivateAddresses: Bool?

  @Option(help: "On-demand jobs admitted at once, running or waiting; more get 503 (default 64).")
  var queue: Int?

  @Option(help: "On-demand jobs running at once (default 8).")
  var workers: Int?

  @Option(help: "Seconds a request waits for an on-demand thumbnail before 504 (default 30).")
  var deadline: Double?

  @Option(help: "Memory for hot small blobs, in MiB; 0 turns it off (default 64).")
  var memoryCacheMb: Int?

  @Option(
    help: "Log level of server messages: trace, debug, info, notice, warning, error, critical.")
  var logLevel: String?

  @Option(
    help: ArgumentHelp(
      "Access log: a file to append to, - for standard output (the default), or off. Written "
        + "from a thread of its own; lines a slow destination cannot take are dropped and "
        + "counted in /metrics.",
      valueName: "FILE|-|off"))
  var accessLog: String?

  @Option(
    help: "Which URL thumbnails are looked up and made from: master or as-written (as prefetch).")
  var fetch: FetchMode?

  func run() async throws {
    let environment = ServerEnvironment()
    // Before anything is opened: a bad rules file stops the server at start.
    let urlRules = try urlRulesOption.load()
    let configuration: HalftoneServerConfiguration
    let allowPrivate: Bool
    do {
      configuration = try makeConfiguration(environment)
      allowPrivate =
        try allowPrivateAddresses
        ?? environment.bool("HALFTONE_ALLOW_PRIVATE_ADDRESSES") ?? false
    } catch let error as ServerSetupError {
      throw CommandFailure.usage(error.message)
    } catch let error as SigningKeyError {
      throw CommandFailure.usage(error.message)
    }
    let levelName = logLevel ?? environment.string("HALFTONE_LOG_LEVEL") ?? "info"
    ServerLogging.bootstrap()
    guard let logger = ServerLogging.logger(level: levelName) else {
      throw CommandFailure.usage(
        "--log-level \(levelName): expected one of \(ServerLogging.levels.joined(separator: ", "))")
    }

    let root = cache.root
    let store = try cache.open(keepingLocalCopies: true)

    var fetcher: Fetcher?
    if configuration.onDemand {
      // A request waits `deadline` seconds; an origin gets a little longer per attempt, and one
      // retry, so a job never holds its queue slot for minutes.
      let policy = FetchPolicy(
        totalTimeout: max(5, configuration.deadline), maxAttempts: 2,
        allowPrivateAddresses: allowPrivate,
        userAgent: try archiveOptions.userAgent(FetchPolicy.defaultUserAgent))
      do {
        fetcher = try Fetcher(policy: policy)
      } catch { throw CommandFailure(error) }
      if configuration.signingKeys.isEmpty {
        let warning =
          "on-demand without a signing key: anyone who can reach this server can make it fetch "
          + "any public image URL (set --signing-key-file)"
        logger.warning("\(warning)")
      }
    }
    defer { fetcher?.shutdown() }
    var options = PipelineOptions()
    options.fetchMode = try fetch ?? Self.fetchMode(environment) ?? .master
    options.archiveRetryAfter = try archiveOptions.retryAfter
    options.urlRules = urlRules
    // Archives only when asked for on the command line: a server does not contact a third party
    // because of the environment of the prefetch jobs it shares a machine with.
    var archives: ArchiveRecovery?
    if !archiveOptions.archives.isEmpty {
      guard let fetcher else {
        throw CommandFailure.usage("--archive is used by --on-demand only: add --on-demand")
      }
      archives = try archiveOptions.recovery(
        fetcher: fetcher, environment: [:], maxWait: configuration.deadline)
    }
    let pipeline = ImagePipeline(
      cache: store, fetcher: fetcher, archives: archives, options: options)

    let server: HalftoneServer
    do {
      server = try HalftoneServer(
        configuration: configuration, pipeline: pipeline, logger: logger)
    } catch {
      throw CommandFailure.usage(error.message)
    }
    do {
      try await server.run { address in
        // Written straight to the descriptor (no stdio buffer): scripts wait for this line.
        FileHandle.standardOutput.write(
          Data("halftone: serving \(address.url) (cache \(root.path))\n".utf8))
      }
    } catch {
      throw CommandFailure(
        kind: "server",
        message: "cannot serve on \(configuration.host):\(configuration.port): \(error)")
    }
  }

  private func makeConfiguration(_ environment: ServerEnvironment) throws
    -> HalftoneServerConfiguration
  {
    var configuration = HalftoneServerConfiguration()
    configuration.host = host ?? environment.string("HALFTONE_HOST") ?? configuration.host
    configuration.port = try port ?? environment.int("HALFTONE_PORT") ?? configuration.port
    configuration.onDemand = try onDemand ?? environment.bool("HALFTONE_ON_DEMAND") ?? false
    configuration.queueLimit =
      try queue ?? environment.int("HALFTONE_QUEUE") ?? configuration.queueLimit
    configuration.onDemandWorkers =
      try workers ?? environment.int("HALFTONE_WORKERS") ?? configuration.onDemandWorkers
    configuration.deadline =
      try deadline ?? environment.seconds("HALFTONE_DEADLINE") ?? configuration.deadline
    if let megabytes = try memoryCacheMb ?? environment.int("HALFTONE_MEMORY_CACHE_MB") {
      guard (0...65536).contains(megabytes) else {
        throw ServerSetupError("--memory-cache-mb \(megabytes): expected 0–65536 MiB")
      }
      configuration.memoryCacheBytes = megabytes << 20
    }
    if let text = accessLog ?? environment.string("HALFTONE_ACCESS_LOG") {
      guard let destination = AccessLogDestination(argument: text) else {
        throw ServerSetupError("--access-log '\(text)': expected a file, - or off")
      }
      configuration.accessLog = destination
    }
    if let keyFile = signingKeyFile ?? environment.string("HALFTONE_SIGNING_KEY_FILE") {
      configuration.signingKeys = try SigningKeys.load(path: keyFile)
    }
    if let problem = configuration.problem() { throw ServerSetupError(problem) }
    return configuration
  }
}

extension ServeCommand {
  /// `HALFTONE_FETCH`, when set.
  static func fetchMode(_ environment: ServerEnvironment) throws -> FetchMode? {
    guard let text = environment.string("HALFTONE_FETCH") else { return nil }
    guard let mode = FetchMode(rawValue: text) else {
      throw CommandFailure.usage("HALFTONE_FETCH=\(text): expected master or as-written")
    }
    return mode
  }
}
