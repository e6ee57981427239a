import ArgumentParser
import Foundation
import HalftoneStore

/// `halftone gc --max-size SIZE [--max-age AGE]`: shrink the cache.
struct GcCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gc",
    abstract: "Shrink the cache: least recently used first, thumbnails before originals.",
    discussion: """
      SIZE is bytes with an optional binary unit: 500M, 2G, 1.5T. AGE is a number with s, m, h,
      d or w: 12h, 30d. Blobs no index row names go first, then (with --max-age) anything unused
      for longer than AGE, then the least recently used until the blobs fit in SIZE; every
      thumbnail goes before any original unless --no-thumbnails-first. Removing an original
      drops its index rows and its thumbnails. Blobs written less than --grace ago are never
      removed (another process may be using them), so the limit can stay exceeded until they age.

      With --store, the bucket's reference documents (every machine's) are the references:
      --max-age removes documents not written for longer than AGE (and thumbnail documents of an
      original no document names any more), then blobs no document names and multipart uploads
      left behind go, once older than the grace period (default 1d there). --max-size is refused:
      one machine cannot know what the others still need (see the README for lifecycle rules).
      """
  )

  @Option(help: "Largest total size of the blobs, e.g. 500M or 2G.")
  var maxSize: String?

  @Option(help: "Remove entries unused for longer than this, e.g. 30d or 12h.")
  var maxAge: String?

  @Flag(
    inversion: .prefixedNo,
    help: "Remove every thumbnail before any original (thumbnails are cheap to make again).")
  var thumbnailsFirst = true

  @Option(
    help: ArgumentHelp(
      "Never remove blobs written more recently than this (e.g. 10m; default 10m, 1d with "
        + "--store); 0: a hard limit now, safe only while nothing else writes to the cache."))
  var grace: String?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var cacheOption: CacheOption

  func run() async throws {
    var maxBytes: Int?
    if let maxSize {
      guard let bytes = Quantities.bytes(maxSize) else {
        throw CommandFailure.usage("--max-size: expected a size like 500M or 2G, got '\(maxSize)'")
      }
      maxBytes = bytes
    }
    var maxAgeSeconds: TimeInterval?
    if let maxAge {
      guard let seconds = Quantities.seconds(maxAge) else {
        throw CommandFailure.usage("--max-age: expected an age like 30d or 12h, got '\(maxAge)'")
      }
      maxAgeSeconds = seconds
    }
    let shared = cacheOption.storeSetting != nil
    if shared, maxBytes != nil {
      throw CommandFailure.usage(
        "--max-size cannot be kept on a shared store (one machine cannot know what the others "
          + "still need): use --max-age AGE, or the bucket's lifecycle rules (see the README)")
    }
    guard shared || maxBytes != nil || maxAgeSeconds != nil else {
      throw CommandFailure.usage("give --max-size SIZE and/or --max-age AGE")
    }
    let graceSeconds = try cacheOption.grace(grace)
    let cache = try cacheOption.open()
    let report = try cache.gc(
      maxBytes: maxBytes, maxAge: maxAgeSeconds, thumbnailsFirst: thumbnailsFirst,
      grace: graceSeconds)
    if json {
      printJSON(GCOutput(report: report, freedBytes: report.freedBytes))
    } else {
      print(Self.text(report), terminator: "")
    }
  }

  static func text(_ report: GCReport) -> String {
    func tally(_ tally: ByteTally) -> String {
      "\(tally.count) (\(Quantities.describe(bytes: tally.bytes)))"
    }
    var lines = [
      "freed        \(Quantities.describe(bytes: report.freedBytes)): "
        + "\(Quantities.describe(bytes: report.bytesBefore)) → "
        + "\(Quantities.describe(bytes: report.bytesAfter))",
      "thumbnails   \(tally(report.removedThumbnails)) removed",
      "originals    \(tally(report.removedOriginals)) removed",
      "unreferenced \(tally(report.removedUnreferenced)) removed",
      "staging      \(tally(report.removedStaging)) leftovers removed",
      "index rows   \(report.removedOriginalRows) urls, \(report.removedThumbnailRows) thumbnails dropped",
    ]
    if report.removedSharedReferences > 0 {
      lines.append("shared refs  \(report.removedSharedReferences) removed")
    }
    if report.protectedByGrace.count > 0 {
      lines.append("kept         \(tally(report.protectedByGrace)) written within the grace period")
    }
    if !report.withinLimit, let limit = report.maxBytes {
      lines.append(
        "note         still over \(Quantities.describe(bytes: limit)): the rest is too recent "
          + "to remove; run gc again later")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// `gc --json`.
struct GCOutput: Encodable {
  var report: GCReport
  var freedBytes: Int

  enum CodingKeys: String, CodingKey {
    case report
    case freedBytes = "freed_bytes"
  }
}
