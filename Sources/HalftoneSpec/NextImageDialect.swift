/// Reads Next.js image optimizer URLs (https://nextjs.org/docs/app/api-reference/components/image):
/// `/_next/image?url=<master>&w=<width>&q=<quality>` on any host. Only a width is given (the
/// height keeps the aspect ratio); Next.js never enlarges and serves WebP to browsers that take
/// it (its default `formats`). The master is `url`, relative to the site or absolute (then on any
/// host, under the same address guard as every fetch).
enum NextImageDialect {
  static func matches(_ url: ImageURL) -> Bool {
    url.path == "/_next/image" && (url.query ?? "").containsBytes("url=")
  }

  static func read(_ url: ImageURL, original: String, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    var (master, bag) = try EmbeddedURL.fromURLParameter(
      of: url, original: original, vendor: "Next.js image", isSameKind: matches)
    spec.masterURL = master
    try readOptions(&bag, into: &spec)
    spec.warnings += bag.finalWarnings(dialect: .nextjs)
  }

  static func readOptions(_ bag: inout ParameterBag, into spec: inout ThumbnailSpec)
    throws(SpecError)
  {
    spec.upscale = false
    spec.autoFormats = [.webp]
    if let width = bag.take("w") {
      guard let pixels = FixedPoint.integer(width), (1...Limits.maxOutputSide).contains(pixels)
      else { throw .invalidSpec("w", width, "expected whole pixels 1–\(Limits.maxOutputSide)") }
      spec.urlSize = .width(.pixels(pixels))
    }
    if let quality = bag.take("q") {
      spec.quality = try ValueReader.quality(Substring(quality), parameter: "q", whole: quality)
    }
  }
}
