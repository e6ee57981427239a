/// Site rules for the long tail of URL styles (`--url-rules FILE`): hosts mapped to a built-in
/// dialect, or to rewrites from a rendition URL to its master candidates. The first rule whose
/// host (and, for a rewrite, pattern) matches wins, before the built-in detection.
public struct URLRules: Sendable {
  /// One rule, as one entry of the rules file.
  public struct Rule: Sendable {
    /// What a matching URL becomes.
    public enum Action: Sendable {
      /// Read in this dialect whatever the host (a CDN behind the site's own domain).
      case dialect(Dialect)
      /// Masters built from the whole URL's regular-expression match (`$1`…`$9` in each
      /// template), tried in order before the URL as written.
      case rewrite(pattern: String, masters: [String])
    }

    /// `images.example.com` (exactly that host) or `*.example.com` (any host under it).
    public var host: String
    public var action: Action
    /// The line of the rules file the rule starts on, for messages.
    public var line: Int
    private let regex: Locked<Regex<AnyRegexOutput>>?

    /// A rule mapping `host` to `dialect`. `rendition` is refused: renditions are either a
    /// built-in rule or a rewrite.
    public init(host: String, dialect: Dialect, line: Int) throws(URLRulesError) {
      try Self.check(host: host, line: line)
      guard dialect != .rendition else {
        throw URLRulesError(
          line: line, message: "dialect 'rendition' cannot be chosen; write a rewrite")
      }
      self.host = host.lowercased()
      action = .dialect(dialect)
      self.line = line
      regex = nil
    }

    /// A rule rewriting URLs on `host` that match `pattern` (the whole URL) to `masters`.
    public init(host: String, pattern: String, masters: [String], line: Int)
      throws(URLRulesError)
    {
      try Self.check(host: host, line: line)
      guard !masters.isEmpty, masters.count <= URLRules.maxMasters else {
        throw URLRulesError(line: line, message: "a rewrite needs 1–\(URLRules.maxMasters) masters")
      }
      guard pattern.utf8.count <= 1024 else {
        throw URLRulesError(line: line, message: "the pattern is longer than 1024 bytes")
      }
      let compiled: Regex<AnyRegexOutput>
      do {
        compiled = try Regex(pattern)
      } catch {
        throw URLRulesError(
          line: line, message: "the pattern '\(pattern)' is not a regular expression: \(error)")
      }
      let groups = Self.groupCount(pattern)
      for master in masters {
        for reference in Self.references(master) where reference > groups {
          throw URLRulesError(
            line: line,
            message: "the master '\(master)' uses $\(reference); the pattern has \(groups) groups")
        }
      }
      self.host = host.lowercased()
      action = .rewrite(pattern: pattern, masters: masters)
      self.line = line
      regex = Locked(compiled)
    }

    private static func check(host: String, line: Int) throws(URLRulesError) {
      let name = host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
      let valid =
        !name.isEmpty && name.utf8.count <= 253
        && name.unicodeScalars.allSatisfy {
          $0.isASCIIAlphanumeric || "-.".unicodeScalars.contains($0)
        }
        && !name.hasPrefix(".") && !name.contains("..")
      guard valid else {
        throw URLRulesError(
          line: line, message: "host '\(host)' is not a host name or '*.' followed by one")
      }
    }

    func matches(host candidate: String) -> Bool {
      if host.hasPrefix("*.") { return candidate.hasSuffix(host.dropFirst(1)) }
      return candidate == host
    }

    /// The masters of `url`, or `nil` when the pattern does not match it.
    func masters(of url: String) -> [String]? {
      guard case .rewrite(_, let templates) = action, let regex else { return nil }
      let captures: [String]? = regex.withLock { regex in
        guard let match = try? regex.wholeMatch(in: url) else { return nil }
        return (0..<match.count).map { match[$0].substring.map(String.init) ?? "" }
      }
      guard let captures else { return nil }
      return templates.map { Self.substitute($0, captures) }
    }

    /// `$1`…`$9` replaced by the groups (`$$` is a dollar sign).
    static func substitute(_ template: String, _ captures: [String]) -> String {
      var result = ""
      var iterator = template.makeIterator()
      while let character = iterator.next() {
        guard character == "$" else {
          result.append(character)
          continue
        }
        guard let next = iterator.next() else {
          result.append("$")
          break
        }
        if let digit = next.wholeNumberValue, digit < captures.count {
          result += captures[digit]
        } else if next == "$" {
          result.append("$")
        } else {
          result.append("$")
          result.append(next)
        }
      }
      return result
    }

    private static func references(_ template: String) -> [Int] {
      var numbers: [Int] = []
      var previous: Character?
      for character in template {
        if previous == "$", let digit = character.wholeNumberValue { numbers.append(digit) }
        previous = previous == "$" && character == "$" ? nil : character
      }
      return numbers
    }

    /// Capturing groups: `(` not escaped and not `(?`.
    private static func groupCount(_ pattern: String) -> Int {
      var count = 0
      var escaped = false
      var inClass = false
      let characters = Array(pattern)
      for (index, character) in characters.enumerated() {
        if escaped {
          escaped = false
          continue
        }
        switch character {
        case "\\": escaped = true
        case "[": inClass = true
        case "]": inClass = false
        case "(" where !inClass:
          if index + 1 < characters.count, characters[index + 1] == "?" { continue }
          count += 1
        default: break
        }
      }
      return count
    }
  }

  /// Most masters one rewrite may name.
  public static let maxMasters = 5
  /// Most rules one file may hold.
  public static let maxRules = 1000

  public var rules: [Rule]

  /// No site rules: the built-in detection alone.
  public static let none = URLRules(rules: [])

  public init(rules: [Rule]) { self.rules = rules }

  /// The first rule for `url` (and, for a rewrite, its masters).
  func match(_ url: ImageURL, text: String) -> (rule: Rule, masters: [String]?)? {
    for rule in rules where rule.matches(host: url.host) {
      switch rule.action {
      case .dialect: return (rule, nil)
      case .rewrite:
        if let masters = rule.masters(of: text) { return (rule, masters) }
      }
    }
    return nil
  }
}

/// A rule the rules file cannot hold, with the line it starts on.
public struct URLRulesError: Error, Sendable, CustomStringConvertible {
  public var line: Int
  public var message: String

  public init(line: Int, message: String) {
    self.line = line
    self.message = message
  }

  public var description: String { "line \(line): \(message)" }
}
