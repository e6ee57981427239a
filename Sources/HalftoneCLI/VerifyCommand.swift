import ArgumentParser
import Foundation
import HalftoneStore

/// `halftone verify [--repair]`: re-hash every blob and cross-check the index.
struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Re-hash every cached blob and check the index against the blobs.",
    discussion: """
      Corrupt blobs (bytes that no longer match their name) are always moved to quarantine/ and
      their index rows dropped, so they are never served and are fetched again. With --repair,
      rows whose blob is gone, blobs no row names and leftovers in tmp/ are removed too, except
      those younger than the grace period (another process may be writing them).
      With --store, the bucket's blobs are re-hashed and its reference documents (every
      machine's) count as rows: documents whose blob is gone, documents that are not references,
      blobs no document names and multipart uploads left behind are what --repair removes.
      Exit status 1 when a problem was found (even if it was repaired).
      """
  )

  @Flag(help: "Remove dangling rows, unreferenced blobs and staging leftovers.")
  var repair = false

  @Option(
    help: ArgumentHelp(
      "Leave blobs and staging files younger than this alone (e.g. 10m, 1h; default 10m, 1d "
        + "with --store); 0: none, safe only while nothing else writes to the cache."))
  var grace: String?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var cacheOption: CacheOption

  func run() async throws {
    let graceSeconds = try cacheOption.grace(grace)
    let cache = try cacheOption.open()
    let report = try cache.verify(repair: repair, grace: graceSeconds)
    if json {
      printJSON(VerifyOutput(report: report, clean: report.isClean, problems: report.problemCount))
    } else {
      print(Self.text(report), terminator: "")
    }
    if !report.isClean { throw ExitCode.failure }
  }

  static func text(_ report: VerifyReport) -> String {
    var lines = [
      "checked     \(report.checked.count) blobs (\(Quantities.describe(bytes: report.checked.bytes)))"
    ]
    if report.checkedReferences > 0 {
      lines.append("checked     \(report.checkedReferences) shared references")
    }
    let fixed = report.repaired ? "removed" : "remove with --repair"
    for digest in report.corrupt { lines.append("corrupt     \(digest.hex) (quarantined)") }
    for url in report.danglingURLs { lines.append("no blob     \(url) (\(fixed))") }
    for key in report.danglingThumbnails {
      lines.append("no blob     thumbnail \(key.specKey) of \(key.original.hex) (\(fixed))")
    }
    for digest in report.orphans { lines.append("unreferenced \(digest.hex) (\(fixed))") }
    for message in report.unreadable { lines.append("unreadable  \(message)") }
    for message in report.invalidReferences { lines.append("bad ref     \(message) (\(fixed))") }
    for label in report.leftoverLabels { lines.append("leftover    \(label) (\(fixed))") }
    if report.recentOrphans + report.recentLeftovers > 0 {
      lines.append(
        "in flight   \(report.recentOrphans) new blobs and \(report.recentLeftovers) staging "
          + "files younger than the grace period (left alone)")
    }
    lines.append(report.isClean ? "ok" : "problems    \(report.problemCount)")
    return lines.joined(separator: "\n") + "\n"
  }
}

/// `verify --json`.
struct VerifyOutput: Encodable {
  var report: VerifyReport
  var clean: Bool
  var problems: Int
}
