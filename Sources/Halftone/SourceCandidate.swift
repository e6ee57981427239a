import HalftoneSpec

/// One URL the cache may hold an image reference's original under, and may fetch it from.
///
/// The one order every caller uses (prefetch, on-demand serving, `/thumbnails`, `/images`,
/// `lookup`), from `ImagePipeline.candidates(for:)`:
/// - `--fetch master` (the default): the dialect's master, then its further masters (The New York
///   Times' `-superJumbo`, then `-jumbo`), then the URL as written (each kept when the one before
///   answered 4xx). One candidate when they are the same URL (no dialect); the URL as written
///   alone when no master is derivable (Arc XP resizer v2).
/// - `--fetch as-written`: the URL as written only.
public struct SourceCandidate: Sendable, Hashable, Codable {
  public enum Role: String, Sendable, Hashable, Codable {
    /// The dialect's master: the publisher's image before the CDN cropped it.
    case master
    /// The URL as the record wrote it: an image the CDN may already have cut to size.
    case asWritten = "as_written"
  }

  public var url: String
  public var role: Role

  public init(url: String, role: Role) {
    self.url = url
    self.role = role
  }

  /// Whether an original from this URL may already be the CDN's transform (then a render that
  /// finds it at the output size only re-encodes it): the URL as written, when it is not also
  /// the master.
  public var asWritten: Bool { role == .asWritten }

  /// The candidates of `spec` in the order they are looked up and fetched.
  public static func candidates(for spec: ThumbnailSpec, mode: FetchMode) -> [SourceCandidate] {
    let master = spec.masterURL
    // A URL spec without a master: the CDN's output is all there is to fetch.
    if master.isEmpty, !spec.imageURL.isEmpty {
      return [SourceCandidate(url: spec.imageURL, role: .asWritten)]
    }
    let sameURL = master.isEmpty || master == spec.imageURL
    switch mode {
    case .asWritten:
      return [SourceCandidate(url: spec.imageURL, role: sameURL ? .master : .asWritten)]
    case .master:
      if sameURL { return [SourceCandidate(url: spec.imageURL, role: .master)] }
      var candidates: [SourceCandidate] = []
      for url in [master] + spec.fallbackMasterURLs
      where url != spec.imageURL && !candidates.contains(where: { $0.url == url }) {
        candidates.append(SourceCandidate(url: url, role: .master))
      }
      candidates.append(SourceCandidate(url: spec.imageURL, role: .asWritten))
      return candidates
    }
  }
}
