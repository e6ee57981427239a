import Foundation
import HalftoneCore
import HalftoneFetch

/// Recovers an image its origin lost from the configured web archives, in order: the one place
/// that knows how captures are found, chosen, fetched and checked.
///
/// For each archive: for each URL looked up (the resolver's candidates: the master, then the URL
/// as written), its captures best first (`CaptureOrder`); each replayed raw into the caller's
/// sink and, where the archive's index names a digest, checked against it. At most
/// `ArchiveLimits.maxCaptures` replays per archive and reference.
public final class ArchiveRecovery: Sendable {
  let clients: [ArchiveClient]

  /// The archives in the order they are asked; `fetcher` is the one origins are fetched with.
  public init(
    archives: [ArchiveSource], fetcher: Fetcher, limits: ArchiveLimits = ArchiveLimits()
  ) {
    // One client (one pace) per archive, however often it was named.
    var seen = Set<ArchiveSource>()
    clients = archives.filter { seen.insert($0).inserted }.map {
      ArchiveClient(source: $0, fetcher: fetcher, limits: limits)
    }
  }

  /// The archives' names, in order.
  public var archives: [String] { clients.map(\.name) }

  /// A capture whose bytes are now in the sink.
  public struct Recovered: Sendable {
    /// The archive's name.
    public var archive: String
    /// Which of the URLs looked up the capture is of.
    public var url: String
    /// The replay URL the bytes came from (after redirects on the archive's host).
    public var archiveURL: String
    /// When the archive captured them (`Memento-Datetime`, else the index's timestamp).
    public var capturedAt: Date
    /// The replay's response (its body's head, size, sniffed format).
    public var response: FetchResponse
  }

  /// Nothing recovered: the error to report, and the archives that answered they have no
  /// usable capture of a URL (to remember, so they are not asked again too soon).
  public struct Failure: Error, Sendable {
    public var error: ArchiveError
    public var notArchived: [(archive: String, url: String, why: String)]
  }

  /// Asks every archive not in `skipping` for a capture of one of `urls` (in order), streaming
  /// the replay into `sink`; `published` (the article's date) picks among captures.
  public func recover(
    urls: [String], published: Date?, skipping: Set<String>, into sink: any FetchBodySink
  ) async -> Result<Recovered, Failure> {
    let digesting = PayloadDigestSink(sink)
    var reasons: [String] = []
    var notArchived: [(archive: String, url: String, why: String)] = []
    var unavailable = false
    var mismatched = false
    for client in clients where !skipping.contains(client.name) {
      var attempt = ArchiveAttempt(client: client, sink: digesting, published: published)
      do {
        if let recovered = try await attempt.run(urls) { return .success(recovered) }
        mismatched = mismatched || attempt.mismatched
        reasons.append("\(client.name): " + attempt.reasons.joined(separator: "; "))
        if !attempt.mismatched {
          notArchived += attempt.missing.map { (client.name, $0.url, $0.why) }
        }
      } catch let error as ArchiveError {
        unavailable = true
        reasons.append(error.message)
      } catch let error as FetchError where error.kind == .storage {
        return .failure(
          Failure(error: ArchiveError(kind: .storage, message: error.message), notArchived: []))
      } catch is CancellationError {
        return .failure(
          Failure(
            error: ArchiveError(
              kind: .archiveUnavailable, message: "\(client.name): abandoned, the caller left"),
            notArchived: []))
      } catch {
        unavailable = true
        reasons.append("\(client.name): \(error)")
      }
    }
    let kind: ErrorKind =
      unavailable ? .archiveUnavailable : mismatched ? .archiveMismatch : .notArchived
    let message =
      reasons.isEmpty
      ? "no archive asked (every one had no capture of \(urls.first ?? "") when last asked)"
      : reasons.joined(separator: "; ")
    return .failure(
      Failure(error: ArchiveError(kind: kind, message: message), notArchived: notArchived))
  }
}

/// One archive's try at one reference: its lookups and replays, and what each found.
private struct ArchiveAttempt {
  let client: ArchiveClient
  let sink: PayloadDigestSink
  let published: Date?
  var replays = 0
  var mismatched = false
  var reasons: [String] = []
  var missing: [(url: String, why: String)] = []

  init(client: ArchiveClient, sink: PayloadDigestSink, published: Date?) {
    self.client = client
    self.sink = sink
    self.published = published
  }

  mutating func run(_ urls: [String]) async throws -> ArchiveRecovery.Recovered? {
    for url in urls where replays < client.limits.maxCaptures {
      let found: ArchiveRecovery.Recovered?
      switch client.source {
      case .wayback(let base): found = try await wayback(url, base: base)
      case .memento(let template): found = try await memento(url, template: template)
      }
      if let found { return found }
    }
    return nil
  }

  private mutating func wayback(_ url: String, base: String) async throws
    -> ArchiveRecovery.Recovered?
  {
    let captures = try await client.waybackCaptures(of: url, base: base, published: published)
    if captures.isEmpty {
      note(url, "no capture of \(url) that is a 200 image (revisits and other types skipped)")
      return nil
    }
    var problems: [String] = []
    // Remembered as not archived only when every capture was tried and was no image.
    var conclusive = true
    for capture in captures {
      guard replays < client.limits.maxCaptures else {
        conclusive = false  // out of replays before this URL's captures were all tried
        break
      }
      replays += 1
      let replay = ArchiveClient.replayURL(base: base, capture)
      do {
        let response = try await client.send(FetchRequest(url: replay), lane: .replay, sink: sink)
        let fetched = sink.base32Digest
        if let expected = capture.digest.map(PayloadDigestSink.normalized), expected != fetched {
          mismatched = true
          problems.append(
            "capture \(capture.timestamp) does not match its digest (index \(expected), "
              + "bytes \(fetched))")
          continue
        }
        let capturedAt =
          response.headers["memento-datetime"].flatMap(Backoff.httpDate)
          ?? capture.capturedAt ?? Date()
        return ArchiveRecovery.Recovered(
          archive: client.name, url: url,
          archiveURL: response.effectiveURL, capturedAt: capturedAt,
          response: response)
      } catch let error as FetchError where error.kind != .storage {
        problems.append("replay \(replay) failed: \(error.message)")
        conclusive = conclusive && Self.isNoImage(error)
      }
    }
    note(url, problems.joined(separator: "; "), conclusive: conclusive)
    return nil
  }

  /// A replay's answer that says the capture is no image (rather than that it could not be read).
  private static func isNoImage(_ error: FetchError) -> Bool {
    error.kind == .notAnImage
      || (error.kind == .httpStatus && [404, 410].contains(error.httpStatus))
  }

  private mutating func memento(_ url: String, template: String) async throws
    -> ArchiveRecovery.Recovered?
  {
    replays += 1
    let gate = ArchiveClient.timeGateURL(template: template, url: url)
    var request = FetchRequest(url: gate)
    request.headers = ["Accept-Datetime: \(ArchiveClient.httpDate(published ?? Date()))"]
    do {
      let response = try await client.send(request, lane: .lookup, sink: sink)
      guard let stamp = response.headers["memento-datetime"],
        let capturedAt = Backoff.httpDate(stamp)
      else {
        note(
          url,
          "TimeGate \(gate) answered \(response.effectiveURL) without a Memento-Datetime: "
            + "not a capture")
        return nil
      }
      return ArchiveRecovery.Recovered(
        archive: client.name, url: url,
        archiveURL: response.effectiveURL, capturedAt: capturedAt,
        response: response)
    } catch let error as FetchError where error.kind != .storage {
      if !Self.isNoImage(error) {
        note(url, "TimeGate \(gate) failed: \(error.message)", conclusive: false)
      } else if error.headers["memento-datetime"] != nil {
        note(url, "the capture of \(url) is of an HTTP \(error.httpStatus ?? 0): not an image")
      } else {
        note(url, "no capture of \(url): \(error.message)")
      }
      return nil
    }
  }

  private mutating func note(_ url: String, _ why: String, conclusive: Bool = true) {
    reasons.append(why)
    if conclusive { missing.append((url, why)) }
  }
}

extension ArchiveRecovery {
  /// Whether an origin's failure means the image is gone from it, so an archive is worth asking:
  /// 404 or 410, no such host, no connection (refused, a lapsed domain's TLS), or a 2xx that is
  /// no image (a parked domain's HTML). Not 5xx, 429 or timeouts (the origin may come back), not
  /// `blocked_address`, not malformed URLs, not decoding errors of bytes that did arrive.
  public static func isGone(_ error: FetchError) -> Bool {
    if error.isCancellation { return false }
    switch error.kind {
    case .httpStatus: return error.httpStatus == 404 || error.httpStatus == 410
    case .dns, .connect, .notAnImage: return true
    default: return false
    }
  }
}
