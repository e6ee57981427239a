/// How a file's records are laid out, chosen from its extension.
enum RecordFormat: Sendable {
  /// `.md`/`.markdown`: YAML front matter between `---` lines; the body is never read.
  case frontMatter
  /// `.yaml`/`.yml`: one or more YAML documents, each an article (or a list of articles).
  case yaml
  /// `.json`: one object, or an array of objects.
  case json
  /// `.jsonl`/`.ndjson`: one object a line, streamed.
  case jsonLines

  /// The format for a file name's extension (case-insensitive), or nil for an unknown one.
  init?(path: String) {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
    switch path[path.index(after: dot)...].lowercased() {
    case "md", "markdown": self = .frontMatter
    case "yaml", "yml": self = .yaml
    case "json": self = .json
    case "jsonl", "ndjson": self = .jsonLines
    default: return nil
    }
  }
}
