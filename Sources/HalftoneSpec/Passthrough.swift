extension ThumbnailSpec {
  /// Whether `source`, fetched from the URL as written (with the CDN's query), is already the
  /// output the spec asks for: the CDN transformed it, so cropping it again would be wrong.
  ///
  /// Only pixel sizes can be checked without the master: an exact box must match both sides
  /// (±1 px for the CDN's rounding), a width or height alone must match that side. Shares, fits
  /// that depend on the master, and specs with no size cannot tell, and answer `false`.
  public func isAlreadyTransformed(_ source: ImageProbe) -> Bool {
    func near(_ a: Int, _ b: Int) -> Bool { abs(a - b) <= 1 }
    switch outputSizeRequest {
    case .box(.pixels(let width), .pixels(let height), _):
      return near(source.width, width) && near(source.height, height)
    case .width(.pixels(let width)):
      return near(source.width, width)
    case .height(.pixels(let height)):
      return near(source.height, height)
    default:
      return false
    }
  }

  /// A plan that keeps all of `source` at its own size: only the format, quality and
  /// orientation of the spec apply (for an image the CDN already transformed).
  public func passthroughPlan(for source: ImageProbe) throws(SpecError) -> ThumbnailPlan {
    let format = outputFormat(for: source)
    return ThumbnailPlan(
      region: PixelRect(x: 0, y: 0, width: source.width, height: source.height),
      width: source.width, height: source.height, gravity: .centre, format: format,
      quality: try outputQuality(for: format), progressive: progressive && format == .jpeg,
      orientation: orientation)
  }
}
