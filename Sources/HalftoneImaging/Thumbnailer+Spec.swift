import Foundation
import HalftoneSpec

extension Thumbnailer {
  /// Probes `bytes`, plans them with `spec` (`ThumbnailSpec.plan(for:)`) and renders the plan.
  /// Spec failures (a crop that does not fit this source…) come back as `.plan`, imaging failures
  /// as `.imaging`.
  public func thumbnail(_ bytes: Data, spec: ThumbnailSpec) throws(ThumbnailError<SpecError>)
    -> Thumbnail
  {
    try thumbnail(bytes) { (source: ImageProbe) throws(SpecError) in try spec.plan(for: source) }
  }
}
