/// Reads Cloudinary delivery URLs
/// (https://cloudinary.com/documentation/transformation_reference,
/// https://cloudinary.com/documentation/resizing_and_cropping):
/// `res.cloudinary.com/<cloud>/image/upload/[s--<sig>--/]<components…>/[v<version>/]<public id>`
/// and `…/image/fetch/<components…>/<remote URL>` (also Substack's
/// `substackcdn.com/image/fetch/<components…>/<remote URL>`).
///
/// Components are separated by `/`, their parameters by `,`, and run in order (chained). Read:
/// `c_` (`scale` the default, `fit`, `limit`, `mfit`, `fill`, `lfill`, `pad`, `lpad`, `mpad`,
/// `fill_pad`, `thumb`, `crop`, `auto`, `imagga_crop`, `imagga_scale`), `w_`, `h_` (pixels, or
/// a decimal share like `0.5`), `ar_` (`16:9` or `1.5`), `g_` (compass, `auto`, `face(s)`,
/// `xy_center`), `x_`, `y_`, `q_`, `f_`, `dpr_`, `fl_progressive`. Others (effects `e_`, overlays
/// `l_`/`u_`, named transformations `t_`, radius `r_`, angle `a_`, borders `bo_`…) are named in
/// a warning and ignored.
///
/// Choices: a `c_crop` component cuts a region (in the image as cut by the components before
/// it; two at most); a crop after a resize is ignored with a warning (its coordinates are in
/// the resized image); when several components resize, the last size is read. `pad` modes fit
/// inside the box without padding and `scale` with both sides fills instead of distorting
/// (warnings say so). The public id's extension sets the output format unless `f_` does. The
/// master is the upload without components (its version kept), or the fetched URL, which may not
/// itself be a Cloudinary fetch (one level). At most `maxComponents` components.
enum CloudinaryDialect {
  static let maxComponents = 32

  /// Parameter keys of Cloudinary's transformation reference: a path segment all of whose
  /// parameters have one of these keys is a component, anything else starts the public id.
  static let parameterKeys: Set<Substring> = [
    "a", "ac", "af", "ar", "b", "bo", "br", "c", "co", "cs", "d", "dl", "dn", "dpr", "du", "e",
    "eo", "f", "fl", "fn", "fps", "g", "h", "if", "ki", "l", "o", "p", "pg", "q", "r", "so", "sp",
    "t", "u", "vc", "vs", "w", "x", "y", "z",
  ]

  /// The path after the host, split: `nil` when the URL is not a Cloudinary image upload or
  /// fetch.
  /// With `anyHost` (a `--url-rules` mapping), the path alone decides: `/image/…` (a custom
  /// domain) or `/<cloud>/image/…`.
  static func delivery(of url: ImageURL, anyHost: Bool = false)
    -> (prefix: String, type: Substring, rest: [Substring])?
  {
    // Hosts first: this runs during detection for every URL, and splitting a path is not free.
    let cloudInHost = url.host.hasSuffix("-res.cloudinary.com")
    let substack = url.host == "substackcdn.com"
    guard
      anyHost || substack || cloudInHost || url.host == "res.cloudinary.com"
        || (url.host.hasPrefix("res-") && url.host.hasSuffix(".cloudinary.com"))
    else {
      return nil
    }
    let segments = url.path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false).map(
      Substring.init)
    if substack || (anyHost && segments.count > 1 && segments[1] == "image") {
      guard segments.count > 3, segments[1] == "image",
        segments[2] == "upload" || segments[2] == "fetch"
      else { return nil }
      return ("/image", segments[2], Array(segments[3...]))
    }
    let start = cloudInHost ? 1 : 2
    guard segments.count > start + 2, segments[start] == "image",
      segments[start + 1] == "upload" || segments[start + 1] == "fetch"
    else { return nil }
    let prefix = segments[..<(start + 1)].joined(separator: "/")
    return (prefix, segments[start + 1], Array(segments[(start + 2)...]))
  }

  static func read(
    _ url: ImageURL, original: String, anyHost: Bool = false, into spec: inout ThumbnailSpec
  ) throws(SpecError) {
    guard let (prefix, type, rest) = delivery(of: url, anyHost: anyHost) else {
      throw .invalidURL(
        original, "not a Cloudinary path: expected …/image/upload/… or …/image/fetch/…")
    }
    var tail = rest[...]
    if let first = tail.first, first.hasPrefix("s--"), first.hasSuffix("--") {
      tail = tail.dropFirst()  // a signature: not needed for the master
    }
    var components: [[(key: Substring, value: Substring)]] = []
    while let segment = tail.first, let component = self.component(segment) {
      components.append(component)
      tail = tail.dropFirst()
      guard components.count <= maxComponents else {
        throw .invalidSpec(
          "transformation", String(segment),
          "more than \(maxComponents) chained components in one Cloudinary URL")
      }
    }
    let base = "\(url.scheme)://\(url.authority)\(prefix)/\(type)"
    if type == "fetch" {
      var remote = tail.joined(separator: "/")
      if let query = url.query { remote += "?" + query }
      let master = try EmbeddedURL.resolved(
        remote, base: url, parameter: "fetched URL", original: original)
      spec.masterURL = master.text
      if let nested = delivery(of: master.url), nested.type == "fetch" {
        throw .invalidURL(
          original, "a Cloudinary fetch of another fetch URL: only one level is followed")
      }
    } else {
      guard !tail.isEmpty, tail.contains(where: { !$0.isEmpty }) else {
        throw .invalidURL(original, "a Cloudinary URL needs a public id after its components")
      }
      spec.masterURL = base + "/" + tail.joined(separator: "/")
      let publicID = tail.last ?? ""
      spec.format = formatFromExtension(publicID)
    }
    try apply(components, into: &spec)
  }

  /// A segment's parameters when every one has a known key (`c_fill,w_640`), else `nil`.
  static func component(_ written: Substring) -> [(key: Substring, value: Substring)]? {
    guard !written.isEmpty else { return nil }
    // Substack writes some components percent-encoded whole (`%24s_%21rycF%21%2Cf_auto`).
    let segment =
      written.hasPrefix("%24") || written.containsBytes("%2C")
      ? Substring(QueryString.percentDecoded(written)) : written
    var parameters: [(key: Substring, value: Substring)] = []
    for bytes in segment.utf8.split(separator: 0x2C, omittingEmptySubsequences: false) {
      let item = Substring(bytes)
      if item.hasPrefix("$s_") { continue }  // Substack's signature token
      guard let (key, value) = item.keyValue("_"), parameterKeys.contains(key) else { return nil }
      parameters.append((key, value))
    }
    return parameters
  }

  /// Reads a bare component chain (`c_fill,g_auto,w_640,h_480/q_80`), as `--spec` gives it.
  static func readOptions(_ text: String, into spec: inout ThumbnailSpec) throws(SpecError) {
    var components: [[(key: Substring, value: Substring)]] = []
    for segment in text.split(separator: "/") {
      guard let component = component(segment) else {
        throw .invalidSpec("transformation", String(segment), "not a Cloudinary component")
      }
      components.append(component)
      guard components.count <= maxComponents else {
        throw .invalidSpec(
          "transformation", String(segment),
          "more than \(maxComponents) chained components in one Cloudinary URL")
      }
    }
    try apply(components, into: &spec)
  }

  private static func apply(
    _ components: [[(key: Substring, value: Substring)]], into spec: inout ThumbnailSpec
  ) throws(SpecError) {
    spec.upscale = true
    var dpr = FixedPoint.one
    for component in components {
      for (key, value) in component where key == "dpr" {
        if value == "auto" {
          spec.warnings.append("Cloudinary dpr_auto depends on the browser; read as 1")
        } else {
          dpr = try ValueReader.dpr(String(value), parameter: "dpr")
        }
      }
    }
    var resized = false
    for component in components {
      let reader = ComponentReader(parameters: component)
      try reader.read(into: &spec, dpr: dpr, resized: &resized)
    }
  }

  static func formatFromExtension(_ publicID: Substring) -> OutputFormat? {
    guard let dot = publicID.lastIndex(of: ".") else { return nil }
    switch publicID[publicID.index(after: dot)...].lowercased() {
    case "jpg", "jpeg", "jpe": return .jpeg
    case "png": return .png
    case "webp": return .webp
    case "avif": return .avif
    default: return nil
    }
  }
}

/// One Cloudinary component, read into a spec.
private struct ComponentReader {
  var parameters: [(key: Substring, value: Substring)]

  func value(_ key: Substring) -> Substring? { parameters.last { $0.key == key }?.value }

  /// The parameters a component reader honours; others are warned about.
  static let known: Set<Substring> = ["c", "w", "h", "ar", "g", "x", "y", "q", "f", "dpr", "fl"]

  func read(into spec: inout ThumbnailSpec, dpr: Int, resized: inout Bool) throws(SpecError) {
    for (key, value) in parameters where !Self.known.contains(key) {
      spec.warnings.append("Cloudinary \(key)_\(value) is not supported and was ignored")
    }
    if let quality = value("q") {
      if quality.hasPrefix("auto") {
        spec.quality = nil
      } else {
        spec.quality = try ValueReader.quality(quality, parameter: "q", whole: String(quality))
      }
    }
    if let format = value("f") { try readFormat(format, into: &spec) }
    if let flag = value("fl") {
      if flag.hasPrefix("progressive") {
        spec.progressive = true
      } else if !["lossy", "keep_iptc", "strip_profile", "preserve_transparency"].contains(flag) {
        spec.warnings.append("Cloudinary fl_\(flag) is not supported and was ignored")
      }
    }
    let mode = value("c") ?? (value("w") != nil || value("h") != nil ? "scale" : nil)
    guard let mode else {
      if value("g") != nil || value("x") != nil || value("ar") != nil {
        spec.warnings.append("Cloudinary g_, x_, y_ or ar_ without a size or crop mode was ignored")
      }
      return
    }
    if mode == "crop" {
      guard !resized else {
        spec.warnings.append("Cloudinary c_crop after a resize is not supported and was ignored")
        return
      }
      try spec.addCrop(try cropRequest(), parameter: "c_crop")
      return
    }
    var width = try length("w", dpr: dpr)
    var height = try length("h", dpr: dpr)
    if width == nil, height == nil, let ratio = try ratio() {
      // `ar_1:1,c_fill` alone: the largest region of that ratio, unresized.
      guard ["fill", "lfill", "thumb", "auto", "fill_pad", "imagga_crop"].contains(mode) else {
        spec.warnings.append("Cloudinary ar_ with c_\(mode) and no size was ignored")
        return
      }
      let gravity = value("g") ?? ""
      let smart =
        gravity.hasPrefix("auto") || gravity.hasPrefix("face") || mode == "thumb"
        || mode == "auto"
      let anchor = smart ? .attention : FillAnchor.compass(Substring(gravity)) ?? .centre
      try spec.addCrop(CropRequest.placed(.ratio(ratio), by: anchor), parameter: "ar")
      return
    }
    (width, height) = try applyRatio(width: width, height: height)
    if resized { spec.warnings.append("Cloudinary: several resizes; the last one is read") }
    resized = true
    let resize = try resizeMode(String(mode), both: width != nil && height != nil)
    spec.setURLSize(width: width, height: height, mode: resize)
    try readGravity(into: &spec, mode: mode)
  }

  private func resizeMode(_ mode: String, both: Bool) throws(SpecError) -> ResizeMode {
    switch mode {
    case "scale": return both ? .distort("Cloudinary c_scale", upscale: true) : .fill(upscale: true)
    case "fit": return .bounds(upscale: true)
    case "limit": return .bounds(upscale: false)
    case "mfit":
      return ResizeMode(
        fit: .bounds, upscale: true, warning: "Cloudinary c_mfit is read as c_fit")
    case "fill", "thumb", "auto", "imagga_crop": return .fill(upscale: true)
    case "lfill": return .fill(upscale: false)
    case "fill_pad":
      return ResizeMode(
        fit: .crop, upscale: true, warning: "Cloudinary c_fill_pad is read as c_fill")
    case "pad", "mpad": return .pad("Cloudinary c_\(mode)", upscale: true)
    case "lpad": return .pad("Cloudinary c_lpad", upscale: false)
    case "imagga_scale": return .distort("Cloudinary c_imagga_scale", upscale: true)
    default:
      throw .invalidSpec(
        "c", mode,
        "expected scale, fit, limit, mfit, fill, lfill, pad, lpad, mpad, fill_pad, thumb, crop "
          + "or auto")
    }
  }

  /// `w_`/`h_`: whole pixels, or a decimal share of the region (`0.5`, `1.0`).
  private func length(_ key: Substring, dpr: Int) throws(SpecError) -> Length? {
    guard let text = value(key) else { return nil }
    guard let length = share(text) else {
      throw .invalidSpec(
        String(key), String(text),
        "expected whole pixels (1–\(Limits.maxOutputSide)) or a decimal share like 0.5")
    }
    return try ValueReader.scaled(length, by: dpr, parameter: String(key), value: String(text))
  }

  private func share(_ text: Substring) -> Length? {
    if text.utf8.contains(0x2E) {
      guard let share = FixedPoint.parse(text), share > 0, share <= FixedPoint.one else {
        return nil
      }
      return .share(share)
    }
    guard let pixels = FixedPoint.integer(text), pixels > 0 else { return nil }
    return .pixels(pixels)
  }

  private func ratio() throws(SpecError) -> AspectRatio? {
    guard let text = value("ar") else { return nil }
    if let ratio = AspectRatio(text: text) { return ratio }
    if let decimal = FixedPoint.parse(text),
      let ratio = AspectRatio(widthMillionths: decimal, heightMillionths: FixedPoint.one)
    {
      return ratio
    }
    throw .invalidSpec("ar", String(text), "expected W:H like 16:9 or a decimal like 1.5")
  }

  /// `ar_` with one pixel side gives the other.
  private func applyRatio(width: Length?, height: Length?) throws(SpecError) -> (Length?, Length?) {
    guard let ratio = try ratio() else { return (width, height) }
    switch (width, height) {
    case (.pixels(let pixels)?, nil):
      let derived = roundedQuotient(pixels * ratio.height, ratio.width)
      return (width, .pixels(min(Limits.maxOutputSide, max(1, derived))))
    case (nil, .pixels(let pixels)?):
      let derived = roundedQuotient(pixels * ratio.width, ratio.height)
      return (.pixels(min(Limits.maxOutputSide, max(1, derived))), height)
    default:
      throw .invalidSpec("ar", String(value("ar") ?? ""), "needs exactly one pixel w_ or h_")
    }
  }

  /// A `c_crop` component: the region by size (or ratio) and by position or gravity.
  private func cropRequest() throws(SpecError) -> CropRequest {
    let width = try cropLength("w")
    let height = try cropLength("h")
    let size: CropRequest.Size
    switch (width, height, try ratio()) {
    case (let width?, let height?, _): size = .lengths(width: width, height: height)
    case (nil, nil, let ratio?): size = .ratio(ratio)
    case (let width?, nil, nil): size = .lengths(width: width, height: .share(FixedPoint.one))
    case (nil, let height?, nil): size = .lengths(width: .share(FixedPoint.one), height: height)
    default:
      throw .invalidSpec("c", "crop", "c_crop needs w_ and h_, or ar_")
    }
    let gravity = value("g")
    if let gravity, gravity.hasPrefix("auto") || gravity.hasPrefix("face") {
      return CropRequest(size: size, smart: true)
    }
    var request = CropRequest.placed(
      size, by: gravity.flatMap { FillAnchor.compass($0) } ?? .centre)
    if let text = value("x") {
      request.x = Placement.position(try position(text, parameter: "x")).normalised
    }
    if let text = value("y") {
      request.y = Placement.position(try position(text, parameter: "y")).normalised
    }
    return request
  }

  private func cropLength(_ key: Substring) throws(SpecError) -> Length? {
    guard let text = value(key) else { return nil }
    guard let length = share(text) else {
      throw .invalidSpec(String(key), String(text), "expected whole pixels or a decimal share")
    }
    return length
  }

  private func position(_ text: Substring, parameter: String) throws(SpecError) -> Length {
    if text.utf8.contains(0x2E), let share = ValueReader.unitFraction(text) { return .share(share) }
    guard let pixels = FixedPoint.integer(text), pixels >= 0 else {
      throw .invalidSpec(parameter, String(text), "expected pixels from 0 or a share 0–1")
    }
    return .pixels(pixels)
  }

  private func readGravity(into spec: inout ThumbnailSpec, mode: Substring) throws(SpecError) {
    guard let gravity = value("g") else {
      if ["thumb", "auto", "imagga_crop"].contains(mode) { spec.anchor = .attention }
      return
    }
    if gravity.hasPrefix("auto") || gravity.hasPrefix("face") || gravity.hasPrefix("custom") {
      if gravity.hasPrefix("face") || gravity.hasPrefix("custom") {
        spec.warnings.append("Cloudinary g_\(gravity) is read as g_auto (cut by content)")
      }
      spec.anchor = .attention
    } else if gravity == "xy_center" {
      guard let x = value("x").flatMap({ FixedPoint.integer($0) }),
        let y = value("y").flatMap({ FixedPoint.integer($0) }), x >= 0, y >= 0
      else { throw .invalidSpec("g", "xy_center", "needs pixel x_ and y_") }
      spec.anchor = .focalPixel(x: x, y: y)
    } else if let anchor = FillAnchor.compass(gravity) {
      spec.anchor = anchor
    } else {
      spec.warnings.append("Cloudinary g_\(gravity) is not supported; centred")
    }
  }

  private func readFormat(_ format: Substring, into spec: inout ThumbnailSpec) throws(SpecError) {
    switch format.lowercased() {
    case "jpg", "jpeg": spec.format = .jpeg
    case "png": spec.format = .png
    case "webp": spec.format = .webp
    case "avif": spec.format = .avif
    case "auto":
      spec.format = nil
      spec.autoFormats = [.avif, .webp]
    case "gif":
      spec.format = .png
      spec.warnings.append("Cloudinary f_gif is written as png")
    default: throw .invalidSpec("f", String(format), "expected jpg, png, webp, avif, gif or auto")
    }
  }
}
