import ArgumentParser
import Foundation
import Halftone
import HalftoneArchive
import HalftoneFetch
import HalftoneRecords
import HalftoneS3
import HalftoneStore

/// `halftone prefetch`: the main job. Fetches every image of an archive's records, keeps the
/// masters, makes the declared thumbnails and reports what happened to each reference.
struct PrefetchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prefetch",
    abstract: "Fetch and thumbnail every image referenced by article records.",
    discussion: """
      RECORDS are files or directories (read recursively) of YAML front-matter (.md), YAML, JSON
      and JSON Lines records, or - for stdin. A re-run makes no request for what the cache holds;
      --refresh revalidates cached originals with conditional requests.

      With --archive, an image gone from its origin (404/410, no such host, no connection, HTML
      instead of an image) is recovered from a web archive's capture closest after the article's
      publishedDateTime; its original then says source "archive", archive_url and captured_at.
      --retry-failed REPORT runs only the references that failed in an earlier report.

      Exit status: 0 when every reference is ok (or already cached), 1 when some failed, 2 on bad
      usage. --report writes one JSON line per reference: record, line, url, status
      (ok|failed|skipped), error_kind, error, origin_error_kind, origin_error, original,
      thumbnail, title, source_url, published.
      """
  )

  @Argument(
    help: ArgumentHelp(
      "Record files or directories, or - for stdin (default with --retry-failed: the record "
        + "files its report names)."))
  var records: [String] = []

  @OptionGroup var cacheOptions: CacheOption

  @Option(help: "Write a JSON Lines report of every reference to FILE.")
  var report: String?

  @Option(help: "References in flight at once.")
  var concurrency = 32

  @Option(help: "Connections to one host at once.")
  var perHost = 6

  @Option(
    help: "master: fetch the CDN's master and crop locally; as-written: fetch the URL as given.")
  var fetch: FetchMode = .master

  @Flag(help: "Revalidate cached originals with conditional requests.")
  var refresh = false

  @OptionGroup var archiveOptions: ArchiveOption
  @OptionGroup var urlRulesOption: URLRulesOption

  @Flag(help: "Skip the origin: take originals from the cache or the --archive archives only.")
  var archiveOnly = false

  @Option(
    help: ArgumentHelp(
      "Process only the references that failed in REPORT (an earlier --report file).",
      valueName: "REPORT"))
  var retryFailed: String?

  @Flag(help: "Allow fetching from loopback, private and link-local addresses (tests, intranets).")
  var allowPrivateAddresses = false

  @Option(help: "Total time limit of one request in seconds (retries are separate).")
  var timeout: Double = 60

  @Option(
    help: "Largest original accepted, in bytes (enforced while streaming): 52428800 is 50 MiB.")
  var maxBytes = FetchPolicy().maxBytes

  @Option(help: "Largest source accepted, in pixels (checked from the header, before decoding).")
  var maxPixels = 100_000_000

  @Option(
    help: ArgumentHelp(
      "Process only shard I of N (0-based): the references whose master URL hashes to it. "
        + "Default: $JOB_COMPLETION_INDEX of --shards N (a Kubernetes Indexed Job), or "
        + "$SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT (a Slurm job array).",
      valueName: "I/N"))
  var shard: String?

  @Option(help: "The shard count N for $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).")
  var shards: Int?

  @Flag(help: "No progress output.")
  var quiet = false

  @Flag(help: "Print the summary as JSON on stdout.")
  var json = false

  func validate() throws {
    if concurrency < 1 || concurrency > 1024 {
      throw ValidationError("--concurrency must be 1–1024.")
    }
    if perHost < 1 || perHost > 256 { throw ValidationError("--per-host must be 1–256.") }
    if !(timeout > 0 && timeout <= 3600) {
      throw ValidationError("--timeout must be in (0, 3600] seconds.")
    }
    if maxBytes < 1 { throw ValidationError("--max-bytes must be positive.") }
    if maxPixels < 1 { throw ValidationError("--max-pixels must be positive.") }
    if records.isEmpty, retryFailed == nil {
      throw ValidationError("give record files or directories (or --retry-failed REPORT).")
    }
    if records.filter({ $0 == "-" }).count > 1 {
      throw ValidationError("stdin (-) can be read only once.")
    }
  }

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    // Before anything is opened: a bad rules file stops the run at start.
    let urlRules = try urlRulesOption.load()
    let failed = try retryFailed.map { try FailedReferences(reportPath: $0) }
    let records = self.records.isEmpty ? failed?.records ?? [] : self.records
    for path in records where path != "-" && !FileManager.default.fileExists(atPath: path) {
      throw CommandFailure.usage("no such file or directory: \(path)")
    }
    let cache = try cacheOptions.open(keepingLocalCopies: true)
    var policy = FetchPolicy()
    policy.maxConcurrent = concurrency
    policy.maxPerHost = perHost
    policy.totalTimeout = timeout
    policy.maxBytes = maxBytes
    policy.allowPrivateAddresses = allowPrivateAddresses
    policy.userAgent = try archiveOptions.userAgent(
      "Halftone/\(HalftoneVersion.string) (image archiver)")
    let fetcher = try Fetcher(policy: policy)
    defer { fetcher.shutdown() }
    let archives = try archiveOptions.recovery(fetcher: fetcher, environment: environment)
    if archiveOnly, archives == nil {
      throw CommandFailure.usage(
        "--archive-only needs an archive: add --archive wayback (or another)")
    }

    var options = PrefetchOptions()
    options.fetchMode = fetch
    options.refresh = refresh
    options.concurrency = concurrency
    options.maxPixels = maxPixels
    options.pipeline.urlRules = urlRules
    options.pipeline.archiveOnly = archiveOnly
    options.pipeline.archiveRetryAfter = try archiveOptions.retryAfter
    options.shard = try chosenShard(environment: environment)
    if let shard = options.shard, !quiet {
      FileHandle.standardError.write(Data("prefetch: shard \(shard)\n".utf8))
    }
    let prefetcher = Prefetcher(
      cache: cache, fetcher: fetcher, archives: archives, options: options)

    let reportWriter = try report.map { try ReportWriter(path: $0) }
    // A shard's share is not known before reading: no total, no percentage.
    let total =
      records.contains("-") || options.shard != nil
      ? nil : failed?.keys.count ?? RecordStream.countReferences(paths: records)
    var progress = ProgressPrinter(total: total, mode: quiet ? .off : .automatic)
    let items = RecordStream(paths: records).lazy.filter { failed?.contains($0) ?? true }
    var summary = await prefetcher.run(items) { outcome in
      reportWriter?.write(outcome)
      progress.record(outcome)
    }
    summary.storeRequests =
      (cache.options.references as? S3ReferenceBackend)?.client
      .requestCounts
    progress.finish()
    try reportWriter?.close()

    if json {
      printJSON(summary)
    } else if !quiet {
      FileHandle.standardError.write(Data(summary.text(cacheRoot: cache.root.path).utf8))
    }
    if summary.failed > 0 { throw ExitCode(1) }
  }
}

extension PrefetchCommand {
  /// `--shard I/N`; else `JOB_COMPLETION_INDEX` with `--shards N`; else Slurm's array variables
  /// (the index counted from `SLURM_ARRAY_TASK_MIN`); else none.
  func chosenShard(environment: [String: String]) throws -> Shard? {
    if let shard {
      guard let parsed = Shard(shard) else {
        throw CommandFailure.usage("--shard: expected I/N with 0 ≤ I < N ≤ 65536, got '\(shard)'")
      }
      return parsed
    }
    if let shards {
      guard let text = environment["JOB_COMPLETION_INDEX"], let index = Int(text) else {
        throw CommandFailure.usage(
          "--shards \(shards) needs $JOB_COMPLETION_INDEX (set in a Kubernetes Indexed Job), or "
            + "give --shard I/N")
      }
      guard let parsed = Shard(index: index, count: shards) else {
        throw CommandFailure.usage(
          "$JOB_COMPLETION_INDEX \(index) is not a shard of --shards \(shards)")
      }
      return parsed
    }
    if let id = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }),
      let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) })
    {
      let first = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
      guard let parsed = Shard(index: id - first, count: count) else {
        throw CommandFailure.usage(
          "SLURM_ARRAY_TASK_ID \(id) (from \(first)) is not a shard of SLURM_ARRAY_TASK_COUNT "
            + "\(count): use a contiguous array (--array=0-\(count - 1)) or give --shard I/N")
      }
      return parsed
    }
    return nil
  }
}

extension FetchMode: ExpressibleByArgument {}

extension PrefetchSummary {
  func text(cacheRoot: String) -> String {
    var lines = [
      "\(references) references: \(ok) ok, \(skipped) already cached, \(failed) failed "
        + "in \(String(format: "%.1f", seconds)) s"
    ]
    for (kind, count) in failures.sorted(by: { $0.key < $1.key }) {
      lines.append("  \(kind): \(count)")
    }
    if let storeRequests {
      let total = storeRequests.values.reduce(0, +)
      let each = storeRequests.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
      lines.append(
        "store: \(total) requests (\(each.joined(separator: ", ")))"
          + (references > 0
            ? String(format: ", %.1f per reference", Double(total) / Double(references)) : ""))
    }
    lines.append("cache: \(cacheRoot)")
    return lines.joined(separator: "\n") + "\n"
  }
}
