/// Reads the Guardian's image URLs (no public documentation; the grammar as the Guardian's own
/// code writes it, guardian/dotcom-rendering and guardian/facia-tool fixtures):
/// `i.guim.co.uk/img/media/<id>/<x>_<y>_<w>_<h>/master/<W>.<ext>?width=&height=&quality=&
/// auto=format&fit=max|crop|bounds&dpr=&s=<signature>`.
///
/// The path names a crop asset (the rectangle in the upload's pixels, already cut); its master is
/// the same path at `media.guim.co.uk`, which needs no signature. So the region is the whole
/// master, and the query (Fastly's, read by `FastlyDialect` with the Guardian's extras: `fit=max`,
/// `auto=format`, `crop=none`, the `s` signature) gives the size. Other `i.guim.co.uk` paths
/// (`/img/uploads/…`, `/img/static/…`) keep the URL without its query as the master.
enum GuardianDialect {
  static func matches(_ url: ImageURL) -> Bool { url.host == "i.guim.co.uk" }

  /// Sets the master: the crop asset at `media.guim.co.uk`.
  static func read(_ url: ImageURL, into spec: inout ThumbnailSpec) {
    if url.path.hasPrefix("/img/media/") {
      spec.masterURL = "https://media.guim.co.uk/" + url.path.dropFirst("/img/media/".count)
    }
  }
}
