import ArgumentParser
import Foundation
import HalftoneSpec
import Yams

/// `--url-rules FILE`: site rules for URL styles the built-in dialects do not know (see
/// `URLRules` and `Examples/url-rules.yaml`). A file that cannot be read fails at start with the
/// file and line.
struct URLRulesOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A YAML file of site rules: hosts mapped to a built-in dialect, or regex rewrites from a "
        + "rendition URL to its masters (see Examples/url-rules.yaml).", valueName: "FILE"))
  var urlRules: String?

  /// Bytes a rules file may have.
  static let maxFileBytes = 1 << 20

  /// The rules, or `.none` without the option.
  func load() throws -> URLRules {
    guard let path = urlRules else { return .none }
    do {
      return try Self.load(path: path)
    } catch let error as CommandFailure {
      throw error
    } catch {
      throw CommandFailure(kind: "invalid_rules", message: "\(path): \(error)", exitCode: 2)
    }
  }

  static func load(path: String) throws -> URLRules {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw CommandFailure(
        kind: "invalid_rules", message: "cannot read \(path): \(error.localizedDescription)",
        exitCode: 2)
    }
    guard data.count <= maxFileBytes else {
      throw CommandFailure(
        kind: "invalid_rules", message: "\(path): larger than \(maxFileBytes) bytes", exitCode: 2)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CommandFailure(kind: "invalid_rules", message: "\(path): not UTF-8", exitCode: 2)
    }
    do {
      return try parse(text)
    } catch let error as URLRulesError {
      throw CommandFailure(
        kind: "invalid_rules", message: "\(path):\(error.line): \(error.message)", exitCode: 2)
    } catch {
      // Yams describes a syntax error as "LINE:COLUMN: error: …": keep the file:line form.
      let text = String(describing: error)
      let separator = text.first?.isNumber == true ? ":" : ": "
      throw CommandFailure(
        kind: "invalid_rules", message: "\(path)\(separator)\(text)", exitCode: 2)
    }
  }

  /// Reads `rules:`, a list of `{host, dialect}` or `{host, pattern, masters}` entries.
  static func parse(_ text: String) throws -> URLRules {
    guard let root = try Yams.compose(yaml: text) else { return .none }
    func line(_ node: Node) -> Int { (node.mark?.line ?? 0) }
    guard let mapping = root.mapping, let list = mapping["rules"] else {
      throw URLRulesError(line: line(root), message: "expected a mapping with a 'rules' list")
    }
    guard let entries = list.sequence else {
      throw URLRulesError(line: line(list), message: "'rules' must be a list")
    }
    guard entries.count <= URLRules.maxRules else {
      throw URLRulesError(line: line(list), message: "more than \(URLRules.maxRules) rules")
    }
    var rules: [URLRules.Rule] = []
    for entry in entries {
      let at = line(entry)
      guard let fields = entry.mapping else {
        throw URLRulesError(line: at, message: "a rule must be a mapping (host: …)")
      }
      for (key, _) in fields {
        guard let name = key.string, ["host", "dialect", "pattern", "masters"].contains(name) else {
          throw URLRulesError(
            line: line(key),
            message: "unknown field '\(key.string ?? "?")': a rule has host, and dialect or "
              + "pattern and masters")
        }
      }
      guard let host = fields["host"]?.string else {
        throw URLRulesError(line: at, message: "a rule needs a host")
      }
      if let dialectNode = fields["dialect"] {
        guard fields["pattern"] == nil, fields["masters"] == nil else {
          throw URLRulesError(line: at, message: "a rule has either dialect or pattern and masters")
        }
        let names = Dialect.allCases.filter { $0 != .rendition }.map(\.rawValue)
        guard let name = dialectNode.string, let dialect = Dialect(rawValue: name) else {
          throw URLRulesError(
            line: line(dialectNode),
            message: "unknown dialect '\(dialectNode.string ?? "?")'; expected one of "
              + names.joined(separator: ", "))
        }
        rules.append(try URLRules.Rule(host: host, dialect: dialect, line: at))
      } else {
        guard let pattern = fields["pattern"]?.string else {
          throw URLRulesError(line: at, message: "a rule needs a dialect, or a pattern and masters")
        }
        guard let masterNodes = fields["masters"]?.sequence,
          case let masters = masterNodes.compactMap(\.string), masters.count == masterNodes.count
        else {
          throw URLRulesError(line: at, message: "masters must be a list of URL templates")
        }
        rules.append(try URLRules.Rule(host: host, pattern: pattern, masters: masters, line: at))
      }
    }
    return URLRules(rules: rules)
  }
}
