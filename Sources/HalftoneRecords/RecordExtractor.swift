/// Turns one article record into its image references and problems, following the archive
/// schema: images sit in `images[]` and in `related[].images[]`.
struct RecordExtractor {
  /// The file name used in locations.
  let file: String
  let limits: RecordLimits

  /// The items of one record. `path` names the record inside its file for messages (`[3]` for a
  /// list's fourth element, empty for a whole-file or whole-line record). At most
  /// `maxImagesPerRecord` images are read from a record, its related articles' included, so one
  /// record's items always fit in memory.
  func items(fromRecord record: RecordNode, path: String = "") -> [RecordItem] {
    guard record.isMapping else {
      let name = path.isEmpty ? "the record" : "record \(path)"
      return [
        problem("\(name) is \(record.kindDescription), not a mapping of article fields", record)
      ]
    }
    var collector = Collector(imageBudget: limits.maxImagesPerRecord)
    appendImages(of: record, path: path, to: &collector)
    guard let related = record.member("related"), !related.isNull else { return collector.items }
    let relatedPath = Self.join(path, "related")
    guard let entries = related.elements(limit: limits.maxRelatedPerRecord) else {
      collector.items.append(
        problem("\(relatedPath) is \(related.kindDescription), not a list", related))
      return collector.items
    }
    for (index, entry) in entries.elements.enumerated() {
      let entryPath = Self.join(relatedPath, "[\(index)]")
      guard entry.isMapping else {
        collector.items.append(
          problem("\(entryPath) is \(entry.kindDescription), not a mapping", entry))
        continue
      }
      appendImages(of: entry, path: entryPath, to: &collector)
    }
    if entries.total > entries.elements.count {
      collector.items.append(
        problem(
          "\(relatedPath) has \(entries.total) entries; only the first "
            + "\(limits.maxRelatedPerRecord) are read", related))
    }
    return collector.items
  }

  /// The items of one record so far, and how many more images it may have.
  private struct Collector {
    var items: [RecordItem] = []
    var imageBudget: Int
    /// Whether the image limit was already reported (once a record is enough).
    var reportedImageLimit = false
  }

  /// The images of one article (the record itself or a related article).
  private func appendImages(of article: RecordNode, path: String, to collector: inout Collector) {
    guard let images = article.member("images"), !images.isNull else { return }
    let imagesPath = Self.join(path, "images")
    let provenance = ArticleProvenance(
      sourceURL: article.member("sourceUrl")?.scalar?.text,
      publishedDateTime: article.member("publishedDateTime")?.scalar?.text,
      title: article.member("title")?.scalar?.text)
    guard let entries = images.elements(limit: max(collector.imageBudget, 0)) else {
      collector.items.append(
        problem(
          "\(imagesPath) is \(images.kindDescription), not a list", images, article: provenance))
      return
    }
    for (index, entry) in entries.elements.enumerated() {
      collector.items.append(
        image(entry, path: Self.join(imagesPath, "[\(index)]"), article: provenance))
    }
    collector.imageBudget -= entries.elements.count
    if entries.total > entries.elements.count, !collector.reportedImageLimit {
      collector.reportedImageLimit = true
      collector.items.append(
        problem(
          "\(imagesPath) has \(entries.total) entries; only the first \(entries.elements.count) "
            + "are read (a record may have at most \(limits.maxImagesPerRecord) images, its "
            + "related articles' included)", images, article: provenance))
    }
  }

  /// One image entry: a reference, or the problem that keeps it from being one. A problem
  /// carries what the entry does have (its URL, title, article), so a report line names the
  /// image that was skipped.
  private func image(_ entry: RecordNode, path: String, article: ArticleProvenance) -> RecordItem {
    guard entry.isMapping else {
      return problem(
        "\(path) is \(entry.kindDescription), not a mapping with a url", entry, article: article)
    }
    let title = entry.member("title")?.scalar?.text
    guard let urlNode = entry.member("url") else {
      return problem(
        "\(path) has no url; the image is skipped", entry, title: title, article: article)
    }
    guard case .string(let url) = urlNode.scalar else {
      // An empty value's position is where the next token starts: report the entry's line.
      return problem(
        "\(path).url is \(urlNode.kindDescription), not a string", urlNode.isNull ? entry : urlNode,
        title: title, article: article)
    }
    var sizes: [Int?] = []
    for name in ["width", "height"] {
      let node = entry.member(name)
      switch DeclaredDimension.parse(node, maximum: limits.maxDeclaredDimension) {
      case .success(let size): sizes.append(size)
      case .failure(let error):
        return problem(
          "\(path).\(name) \(error.explanation); the image is skipped", node ?? entry, url: url,
          title: title, article: article)
      }
    }
    return .reference(
      ImageReference(
        url: url, declaredWidth: sizes[0], declaredHeight: sizes[1],
        title: title, article: article, location: RecordLocation(file: file, line: entry.line)))
  }

  private func problem(
    _ message: String, _ node: RecordNode, url: String? = nil, title: String? = nil,
    article: ArticleProvenance? = nil
  ) -> RecordItem {
    .problem(
      RecordProblem(
        message: message, location: RecordLocation(file: file, line: node.line), url: url,
        title: title, article: article))
  }

  /// `images` + `[2]` → `images[2]`; `[1]` + `images` → `[1].images`.
  static func join(_ path: String, _ component: String) -> String {
    if path.isEmpty || component.hasPrefix("[") { return path + component }
    return path + "." + component
  }
}
