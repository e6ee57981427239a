import Foundation
import Yams

/// The records in a YAML text: each document is an article (or a list of articles). Documents are
/// composed one at a time as items are asked for. Used for `.yaml` files, front matter and YAML on
/// standard input.
final class YAMLDocumentReader: RecordFileReader {
  private let text: String
  /// File line of the text's first line, minus one.
  private let lineOffset: Int
  private let extractor: RecordExtractor
  /// What the text is called in messages ("YAML", "YAML front matter").
  private let description: String
  private var parser: Parser?
  private var started = false
  private var finished = false
  private var queue = ItemQueue()
  /// A document that is a list: its records, still to extract.
  private var list: RecordList?
  /// Items left before the text is cut off. Without aliases every item needs at least a byte of
  /// text; aliases can multiply a small document into billions of entries.
  private var itemBudget: Int

  init(text: String, lineOffset: Int, description: String, extractor: RecordExtractor) {
    self.text = text
    self.lineOffset = lineOffset
    self.description = description
    self.extractor = extractor
    self.itemBudget = text.utf8.count + 100
  }

  func next() -> RecordItem? {
    while true {
      if let item = queue.pop() {
        itemBudget -= 1
        guard itemBudget >= 0 else { return expandsTooMuch() }
        return item
      }
      if finished { return nil }
      if let items = list?.nextItems(extractor) {
        queue.replace(with: items)
        continue
      }
      list = nil
      queue.replace(with: nextDocumentItems())
    }
  }

  private func expandsTooMuch() -> RecordItem? {
    finished = true
    list = nil
    queue.replace(with: [])
    return problem(
      "the \(description) expands (through aliases) to more entries than it has bytes; "
        + "the rest of it is skipped", yamlLine: 1)
  }

  private func nextDocumentItems() -> [RecordItem] {
    do {
      if !started {
        started = true
        let limit = extractor.limits.maxYAMLNesting
        if let line = YAMLNestingGuard.firstLineTooDeep(in: text, limit: limit) {
          finished = true
          return [
            problem(
              "the \(description) nests deeper than \(limit) levels (or looks like it); "
                + "records need only a few, so it is not parsed", yamlLine: line)
          ]
        }
        parser = try Parser(yaml: text)
      }
      guard let root = try parser?.nextRoot() else {
        finished = true
        return []
      }
      return items(fromRoot: root)
    } catch {
      finished = true
      return [malformed(error)]
    }
  }

  private func items(fromRoot root: Node) -> [RecordItem] {
    let node = RecordNode.yaml(root, lineOffset: lineOffset)
    if node.isNull { return [] }  // an empty document, e.g. only comments
    if let records = RecordList(node) {
      list = records
      return []
    }
    return extractor.items(fromRecord: node)
  }

  private func malformed(_ error: Error) -> RecordItem {
    guard let yamlError = error as? YamlError else {
      return problem("the \(description) cannot be parsed: \(error)", yamlLine: 1)
    }
    switch yamlError {
    case .scanner(let context, let problemText, let mark, _),
      .parser(let context, let problemText, let mark, _),
      .composer(let context, let problemText, let mark, _):
      var message = "malformed \(description): \(problemText) (column \(mark.column))"
      if let context { message += ", \(context.text) at line \(context.mark.line + lineOffset)" }
      return problem(message, yamlLine: mark.line)
    case .reader(let problemText, let offset, _, _):
      let line = offset.map { text.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } } ?? 1
      return problem("malformed \(description): \(problemText)", yamlLine: line)
    default:
      return problem("the \(description) cannot be parsed: \(yamlError)", yamlLine: 1)
    }
  }

  private func problem(_ message: String, yamlLine: Int) -> RecordItem {
    let location = RecordLocation(file: extractor.file, line: yamlLine + lineOffset)
    return .problem(RecordProblem(message: message, location: location))
  }
}
