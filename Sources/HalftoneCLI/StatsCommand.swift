import ArgumentParser
import Foundation
import HalftoneStore

/// `halftone stats`: what the cache holds.
struct StatsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Count the cached originals and thumbnails, by format, and their sizes."
  )

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var cacheOption: CacheOption

  func run() async throws {
    let cache = try cacheOption.open()
    let stats = try cache.stats()
    if json {
      printJSON(StatsOutput(cache: cache.root.path, stats: stats))
      return
    }
    print(Self.text(stats, root: cache.root.path), terminator: "")
  }

  static func text(_ stats: CacheStats, root: String) -> String {
    func tally(_ tally: ByteTally) -> String {
      "\(tally.count) (\(Quantities.describe(bytes: tally.bytes)))"
    }
    func byFormat(_ groups: [String: ByteTally]) -> String {
      groups.sorted { $0.key < $1.key }.map { "\($0.key) \(tally($0.value))" }
        .joined(separator: ", ")
    }
    return [
      "cache         \(root)",
      "originals     \(tally(stats.originals))  \(byFormat(stats.originalsByFormat))",
      "thumbnails    \(tally(stats.thumbnails))  \(byFormat(stats.thumbnailsByFormat))",
      "unreferenced  \(tally(stats.unreferenced))",
      "all blobs     \(tally(stats.blobs))",
      "urls          \(stats.originalURLs) cached, \(stats.failedURLs) failed last time",
      "rows          \(stats.thumbnailRows) thumbnails of (original, spec key)",
      "index         \(Quantities.describe(bytes: stats.indexBytes))",
      "staging       \(tally(stats.staging))",
      "quarantine    \(tally(stats.quarantined))",
    ].joined(separator: "\n") + "\n"
  }
}

/// `stats --json`.
struct StatsOutput: Encodable {
  var cache: String
  var stats: CacheStats
}
