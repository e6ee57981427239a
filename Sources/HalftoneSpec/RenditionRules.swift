/// Resized copies whose master is a rewrite of their URL (issue 14's rendition rules): the URL
/// names a rendition the site or its CDN made, and the master is found by undoing the rename.
/// The URL as written stays the fallback candidate (a 4xx on the master falls back to it).
///
/// Rules, each on its host and path shape only (anything else is not a rendition):
/// - **Wikimedia** `upload.wikimedia.org/<project>/<lang>/thumb/a/ab/File.jpg/640px-File.jpg` (a
///   JPEG, PNG, GIF or WebP master; renderings of SVG, PDF or video files are not resizes)
///   → `upload.wikimedia.org/<project>/<lang>/a/ab/File.jpg`.
/// - **WordPress uploads** `…/wp-content/uploads/…/name-1024x683.jpg` (or `name-scaled.jpg`, or
///   both) on any host → `…/name.jpg`.
/// - **X/Twitter** `pbs.twimg.com/media/<id>?format=jpg&name=small` → `name=orig`; the legacy
///   `…/<id>.jpg:small` → `:orig`.
/// - **Imgur** `i.imgur.com/<id><s|b|t|m|l|h>.<ext>` → `<id>.<ext>` (ids are 5 or 7 characters:
///   a 6- or 8-character stem ending in a size letter is a rendition).
/// - **The New York Times** `static<NN>.nyt.com/images/…/<slug>-<crop name>.jpg` (a crop name
///   of `nytCropNames`, optionally followed by `-v<N>`) → `-superJumbo`, then `-jumbo`.
/// - **Google user content** `lh<N>.googleusercontent.com/…=w640-h480-c` (any size options after
///   the last `=`) → `…=s0` (the original size).
enum RenditionRules {
  /// The masters of a rendition URL in the order to try them, with the rule's name; `nil` when
  /// no rule matches.
  static func masters(of url: ImageURL) -> (rule: String, masters: [String])? {
    if isNYTHost(url.host), let masters = nytMasters(url.path) {
      let base = "\(url.scheme)://\(url.authority)"
      return ("nytimes", masters.map { base + $0 })
    }
    guard let (rule, master) = master(of: url) else { return nil }
    return (rule, [master])
  }

  /// The one master of a rendition URL (every rule but The New York Times'), with the rule's name.
  static func master(of url: ImageURL) -> (rule: String, master: String)? {
    let base = "\(url.scheme)://\(url.authority)"
    if url.host == "upload.wikimedia.org", let path = wikimediaMaster(url.path) {
      return ("wikimedia", base + path)
    }
    if url.host == "pbs.twimg.com", let master = twitterMaster(url) { return ("twitter", master) }
    if url.host == "i.imgur.com", let path = imgurMaster(url.path) { return ("imgur", base + path) }
    if isGoogleUserContent(url.host), let path = googleMaster(url.path) {
      return ("googleusercontent", base + path)
    }
    if url.path.containsBytes("/wp-content/uploads/"), let path = wordPressMaster(url.path) {
      return ("wordpress", base + path)
    }
    return nil
  }

  /// `/wikipedia/commons/thumb/a/ab/File.jpg/640px-File.jpg` → `/wikipedia/commons/a/ab/File.jpg`.
  static func wikimediaMaster(_ path: String) -> String? {
    guard path.containsBytes("/thumb/") else { return nil }
    let parts = path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false)
      .map(Substring.init)
    guard let thumb = parts.firstIndex(of: "thumb"), parts.count - thumb == 5 else { return nil }
    let (file, rendition) = (parts[thumb + 3], parts[thumb + 4])
    // `640px-File.jpg`, `page1-640px-File.pdf.jpg`, `lossy-page1-640px-File.tif.jpg`.
    guard !file.isEmpty, let marker = rendition.rangeOfBytes("px-"),
      rendition[marker.upperBound...].hasPrefix(file), hasRasterExtension(String(file))
    else { return nil }
    return (parts[..<thumb] + parts[(thumb + 1)...(thumb + 3)]).joined(separator: "/")
  }

  /// Masters Halftone decodes: a thumbnail of an SVG, PDF or video is a rendering, not a resize.
  static func hasRasterExtension(_ file: String) -> Bool {
    guard let dot = file.lastIndex(of: ".") else { return false }
    return ["jpg", "jpeg", "png", "gif", "webp"].contains(
      file[file.index(after: dot)...].lowercased())
  }

  static func twitterMaster(_ url: ImageURL) -> String? {
    guard url.path.hasPrefix("/media/") else { return nil }
    if let colon = url.path.lastIndex(of: ":"), url.query == nil {
      return "\(url.scheme)://\(url.authority)\(url.path[..<colon]):orig"
    }
    guard let query = url.query else { return nil }
    let items = query.split(separator: "&", omittingEmptySubsequences: false)
    guard items.contains(where: { $0.hasPrefix("name=") }) else { return nil }
    let rewritten = items.map { $0.hasPrefix("name=") ? "name=orig" : String($0) }
    return url.withoutQuery + "?" + rewritten.joined(separator: "&")
  }

  static func imgurMaster(_ path: String) -> String? {
    let name = path.dropFirst()
    guard !name.utf8.contains(0x2F), let dot = name.lastIndex(of: ".") else { return nil }
    let stem = name[..<dot]
    guard stem.count == 6 || stem.count == 8, let size = stem.last, "sbtmlh".contains(size),
      stem.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
    else { return nil }
    return "/" + String(stem.dropLast()) + name[dot...]
  }

  static func isGoogleUserContent(_ host: String) -> Bool {
    guard host.hasPrefix("lh"), host.hasSuffix(".googleusercontent.com") else { return false }
    let digits = host.dropFirst(2).dropLast(".googleusercontent.com".count)
    return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// `…=w640-h480-c` → `…=s0`: the size options after the last `=` are dropped.
  static func googleMaster(_ path: String) -> String? {
    guard let equals = path.lastIndex(of: "=") else { return nil }
    let options = path[path.index(after: equals)...]
    guard !options.isEmpty, options != "s0",
      options.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
    else { return nil }
    return String(path[..<equals]) + "=s0"
  }

  /// `name-1024x683.jpg`, `name-scaled.jpg`, `name-1024x683-scaled.jpg` → `name.jpg`.
  static func wordPressMaster(_ path: String) -> String? {
    guard let slash = path.lastIndex(of: "/") else { return nil }
    let file = path[path.index(after: slash)...]
    guard let dot = file.lastIndex(of: ".") else { return nil }
    var stem = file[..<dot]
    var changed = false
    func dropScaled() {
      if stem.hasSuffix("-scaled") {
        stem = stem.dropLast("-scaled".count)
        changed = true
      }
    }
    dropScaled()
    if let dash = stem.lastIndex(of: "-") {
      let size = stem[stem.index(after: dash)...].split(
        separator: "x", omittingEmptySubsequences: false)
      if size.count == 2,
        size.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isNumber) })
      {
        stem = stem[..<dash]
        changed = true
      }
    }
    dropScaled()  // `name-scaled-1024x683.jpg` too
    guard changed, !stem.isEmpty else { return nil }
    return String(path[...slash]) + stem + file[dot...]
  }

  static func isNYTHost(_ host: String) -> Bool {
    guard host.hasPrefix("static"), host.hasSuffix(".nyt.com") else { return false }
    let digits = host.dropFirst("static".count).dropLast(".nyt.com".count)
    return digits.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// Crop names The New York Times gives its renditions (as its APIs and pages list them).
  static let nytCropNames: Set<Substring> = [
    "thumbStandard", "thumbLarge", "thumbWide", "articleInline", "articleLarge", "articleLeft",
    "jumbo", "superJumbo", "popup", "blog480", "blogSmallInline", "hpLarge", "hpSmall",
    "sfSpan", "facebookJumbo", "mobileMasterAt3x", "master180", "master315", "master495",
    "master675", "master768", "master1050", "mediumThreeByTwo210", "mediumThreeByTwo225",
    "mediumThreeByTwo252", "mediumThreeByTwo378", "mediumThreeByTwo440", "threeByTwoSmallAt2X",
    "threeByTwoMediumAt2X", "threeByTwoLargeAt2X", "square320", "square640", "mediumSquareAt3X",
    "mediumSquare149", "videoSixteenByNine1050", "videoSixteenByNine768", "videoSixteenByNine600",
    "videoSixteenByNine540", "videoSixteenByNine480", "videoSixteenByNine390",
    "videoSixteenByNineJumbo1600", "videoLarge", "verticalTwoByThree735", "watch308",
    "watch268", "moth", "filmstrip", "tmagArticle", "tmagSF", "slide", "articleSpan",
  ]

  /// `/images/…/<slug>-articleLarge.jpg` → `[…-superJumbo.jpg, …-jumbo.jpg]` (without the one
  /// written); `nil` when the name is not a crop name or already `superJumbo`.
  static func nytMasters(_ path: String) -> [String]? {
    guard path.hasPrefix("/images/"), let slash = path.lastIndex(of: "/"),
      let dot = path.lastIndex(of: "."), dot > slash
    else { return nil }
    var stem = path[path.index(after: slash)..<dot]
    if let dash = stem.lastIndex(of: "-") {
      let suffix = stem[stem.index(after: dash)...]
      if suffix.count > 1, suffix.first == "v", suffix.dropFirst().allSatisfy(\.isNumber) {
        stem = stem[..<dash]  // `-v2`: a re-crop under the same name
      }
    }
    guard let dash = stem.lastIndex(of: "-") else { return nil }
    let crop = stem[stem.index(after: dash)...]
    guard nytCropNames.contains(crop), crop != "superJumbo" else { return nil }
    let head = String(path[...slash]) + stem[..<dash]
    let ext = path[dot...]
    return (crop == "jumbo" ? ["superJumbo"] : ["superJumbo", "jumbo"]).map {
      "\(head)-\($0)\(ext)"
    }
  }
}
