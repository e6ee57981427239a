import Foundation
import Yams

/// A scalar value in a record, whichever format it came from.
enum RecordScalar {
  case null
  /// A boolean, with its text as written (`true`, `yes`…).
  case bool(String)
  /// A number, with its text as written (`640`, `640.0`, `1e3`).
  case number(String)
  case string(String)

  /// The value as text, for titles and provenance: nil only for null.
  var text: String? {
    switch self {
    case .null: nil
    case .bool(let text), .number(let text), .string(let text): text
    }
  }
}

/// A read-only view of one value in a record, from YAML (Yams nodes) or JSON
/// (`JSONSerialization` objects), knowing the file line it starts on.
///
/// Values are looked at lazily, only along the paths records use (`images`, `related`…): a YAML
/// alias can make a tiny document describe an enormous tree, and converting it all would blow up.
struct RecordNode {
  private enum Value {
    case yaml(Node)
    case json(Any)
  }

  private let value: Value
  /// The 1-based file line this value starts on (JSON: the line of the record it belongs to).
  let line: Int
  /// YAML: what to add to a Yams line to get the file line.
  private let lineOffset: Int

  /// A YAML node whose document text starts `lineOffset` lines into the file.
  static func yaml(_ node: Node, lineOffset: Int) -> RecordNode {
    RecordNode(
      value: .yaml(node), line: (node.mark?.line ?? 1) + lineOffset, lineOffset: lineOffset)
  }

  /// A JSON value (from `JSONSerialization`) of the record starting at `line`.
  static func json(_ object: Any, line: Int) -> RecordNode {
    RecordNode(value: .json(object), line: line, lineOffset: 0)
  }

  private static let jsonBooleanType = ObjectIdentifier(type(of: NSNumber(value: true)))

  /// The scalar, or nil for a mapping or a list.
  var scalar: RecordScalar? {
    switch value {
    case .yaml(let node):
      guard case .scalar(let scalar) = node else { return nil }
      switch Resolver.default.resolveTag(of: node) {
      case .null: return .null
      case .bool: return .bool(scalar.string)
      case .int, .float: return .number(scalar.string)
      default: return .string(scalar.string)
      }
    case .json(let object):
      if let string = object as? String { return .string(string) }
      // Rule out containers first: casting one to NSNumber would bridge it to Foundation whole.
      if object is [String: Any] || object is [Any] { return nil }
      if object is NSNull { return .null }
      if let number = object as? NSNumber {
        if ObjectIdentifier(type(of: number)) == Self.jsonBooleanType {
          return .bool(number.boolValue ? "true" : "false")
        }
        return .number(number.stringValue)
      }
      return nil
    }
  }

  /// True for a null scalar (`~`, `null`, an empty YAML value).
  var isNull: Bool {
    if case .null? = scalar { true } else { false }
  }

  var isMapping: Bool {
    switch value {
    case .yaml(let node): if case .mapping = node { true } else { false }
    case .json(let object): object is [String: Any]
    }
  }

  /// What this value is, for messages: "a list", "a number"…
  var kindDescription: String {
    if isMapping { return "a mapping" }
    switch scalar {
    case nil: return "a list"
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    }
  }

  /// The value under `key`, or nil when this is not a mapping or has no such key.
  func member(_ key: String) -> RecordNode? {
    switch value {
    case .yaml(let node):
      guard case .mapping(let mapping) = node else { return nil }
      for (name, child) in mapping where name.scalar?.string == key {
        return .yaml(child, lineOffset: lineOffset)
      }
      return nil
    case .json(let object):
      guard let dictionary = object as? [String: Any], let child = dictionary[key] else {
        return nil
      }
      return .json(child, line: line)
    }
  }

  /// The number of elements, or nil when this is not a list.
  var count: Int? {
    switch value {
    case .yaml(let node):
      if case .sequence(let sequence) = node { sequence.count } else { nil }
    case .json(let object):
      (object as? [Any])?.count
    }
  }

  /// The element at `index` of a list (`index` must be below `count`).
  func element(_ index: Int) -> RecordNode {
    switch value {
    case .yaml(let node):
      guard case .sequence(let sequence) = node else { preconditionFailure("not a list") }
      return .yaml(sequence[index], lineOffset: lineOffset)
    case .json(let object):
      guard let array = object as? [Any] else { preconditionFailure("not a list") }
      return .json(array[index], line: line)
    }
  }

  /// The first `limit` elements and the total count, or nil when this is not a list.
  func elements(limit: Int) -> (elements: [RecordNode], total: Int)? {
    switch value {
    case .yaml(let node):
      guard case .sequence(let sequence) = node else { return nil }
      let elements = sequence.prefix(limit).map { RecordNode.yaml($0, lineOffset: lineOffset) }
      return (elements, sequence.count)
    case .json(let object):
      guard let array = object as? [Any] else { return nil }
      return (array.prefix(limit).map { RecordNode.json($0, line: line) }, array.count)
    }
  }
}
