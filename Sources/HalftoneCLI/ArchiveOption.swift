import ArgumentParser
import Foundation
import Halftone
import HalftoneArchive
import HalftoneFetch
import HalftoneStore

/// The web-archive options of `prefetch` and `serve`: which archives recover an image its
/// origin lost, how hard they may be used, and who to contact about it.
struct ArchiveOption: ParsableArguments {
  @Option(
    name: .customLong("archive"),
    help: ArgumentHelp(
      "A web archive to recover images gone from their origin (404/410, no such host, no "
        + "connection, HTML instead of an image): wayback, wayback:BASE-URL, "
        + "memento:TIMEGATE-URL-WITH-{url}, or none (the default). Repeat for several, tried "
        + "in order. Default: $HALFTONE_ARCHIVE (comma-separated).",
      valueName: "ARCHIVE"))
  var archives: [String] = []

  @Option(
    help: ArgumentHelp(
      "A URL or e-mail address put in the User-Agent, so an archive (or an origin) can reach "
        + "you instead of blocking you. Recommended with --archive wayback.",
      valueName: "CONTACT"))
  var contact: String?

  @Option(
    help: ArgumentHelp(
      "Do not ask an archive again about a URL it had no capture of for this long (e.g. 30d, "
        + "12h), unless --refresh.", valueName: "AGE"))
  var archiveRetryAfter = "30d"

  @Option(help: "Capture index lookups (CDX queries, TimeGate requests) per minute, per archive.")
  var archiveLookupRate = ArchiveLimits().lookupsPerMinute

  @Option(help: "Capture replays (downloads) per second, per archive.")
  var archiveReplayRate = ArchiveLimits().replaysPerSecond

  /// The archives configured, in order (none for `none` or nothing given).
  func sources(environment: [String: String]) throws -> [ArchiveSource] {
    let values =
      archives.isEmpty
      ? (environment["HALFTONE_ARCHIVE"] ?? "").split(separator: ",").map(String.init)
      : archives
    var sources: [ArchiveSource] = []
    for value in values where !value.trimmingCharacters(in: .whitespaces).isEmpty {
      do {
        if let source = try ArchiveSource.parse(value) { sources.append(source) }
      } catch {
        throw CommandFailure.usage(error.message)
      }
    }
    return sources
  }

  var limits: ArchiveLimits {
    get throws {
      var limits = ArchiveLimits()
      limits.lookupsPerMinute = archiveLookupRate
      limits.replaysPerSecond = archiveReplayRate
      if let problem = limits.problem() { throw CommandFailure.usage(problem) }
      return limits
    }
  }

  var retryAfter: TimeInterval {
    get throws {
      guard let seconds = Quantities.seconds(archiveRetryAfter, allowingZero: true) else {
        throw CommandFailure.usage(
          "--archive-retry-after: expected an age like 30d or 12h, got '\(archiveRetryAfter)'")
      }
      return seconds
    }
  }

  /// The User-Agent: Halftone's, with the contact when one is given.
  func userAgent(_ base: String) throws -> String {
    guard let contact else { return base }
    guard !contact.isEmpty, contact.count <= 200,
      !contact.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    else {
      throw CommandFailure.usage("--contact: expected a URL or e-mail address on one line")
    }
    return base.hasSuffix(")") ? base.dropLast() + "; +\(contact))" : base + " (+\(contact))"
  }

  /// The recovery over `fetcher` for the configured archives; `nil` without any. `maxWait`
  /// bounds a request's wait for its archive slot (`serve`: its deadline).
  func recovery(
    fetcher: Fetcher, environment: [String: String], maxWait: TimeInterval? = nil
  ) throws -> ArchiveRecovery? {
    let sources = try sources(environment: environment)
    guard !sources.isEmpty else { return nil }
    var limits = try limits
    limits.maxWait = maxWait
    return ArchiveRecovery(archives: sources, fetcher: fetcher, limits: limits)
  }
}
