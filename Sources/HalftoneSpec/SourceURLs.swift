extension ThumbnailSpec {
  /// The URLs the cache may hold this reference's original under, in the order lookups try them:
  /// the dialect's master, then the URL as written (kept when the master answered 4xx, or fetched
  /// with `--fetch as-written`). One entry when they are the same.
  public var sourceURLCandidates: [String] {
    masterURL.isEmpty || masterURL == imageURL ? [imageURL] : [masterURL, imageURL]
  }
}
