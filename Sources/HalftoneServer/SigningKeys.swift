import Crypto
import Foundation

/// The keys that sign and verify `/thumbnails` URLs.
///
/// Scheme: `sig` = URL-safe base64 without padding (43 characters) of
/// HMAC-SHA256(key, canonical query), where the canonical query is `CanonicalQuery.canonical`
/// of the request's parameters (every parameter but `sig`, sorted, canonically percent-encoded,
/// joined with `&`). The first key signs; every key verifies, so keys can be rotated: add the new
/// key as the first line, restart, move clients to it, then remove the old line and restart.
///
/// Key file: one key per line; the key is the line's UTF-8 bytes with surrounding whitespace
/// removed; blank lines and lines starting with `#` are ignored. Keys must be at least 16 bytes.
public struct SigningKeys: Sendable {
  /// The key bytes, the signing key first (`Data`, not `SymmetricKey`, which is not `Sendable`).
  private let material: [Data]

  /// How many keys verify.
  public var count: Int { material.count }

  /// Shortest key accepted, in bytes.
  public static let minimumKeyBytes = 16
  /// Most keys read from one file.
  public static let maximumKeys = 16
  /// Largest key file read.
  public static let maximumFileBytes = 64 * 1024
  /// Length of a signature in characters.
  public static let signatureLength = 43

  /// No keys: signatures are neither required nor checked.
  public init() { material = [] }

  /// Keys from raw bytes, the signing one first.
  public init(keys: [Data]) throws(SigningKeyError) {
    guard keys.count <= Self.maximumKeys else {
      throw SigningKeyError("\(keys.count) signing keys; at most \(Self.maximumKeys) are read")
    }
    for (index, key) in keys.enumerated() where key.count < Self.minimumKeyBytes {
      throw SigningKeyError(
        "signing key \(index + 1) is \(key.count) bytes; keys must be at least "
          + "\(Self.minimumKeyBytes) bytes (e.g. `openssl rand -hex 32`)")
    }
    material = keys
  }

  /// Whether signatures are required.
  public var isEmpty: Bool { material.isEmpty }

  /// Reads a key file (see the type's documentation for its format).
  public static func load(path: String) throws(SigningKeyError) -> SigningKeys {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw SigningKeyError("cannot read signing key file \(path): no such file or no permission")
    }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
    } catch {
      throw SigningKeyError("cannot read signing key file \(path): \(error)")
    }
    guard data.count <= maximumFileBytes else {
      throw SigningKeyError(
        "signing key file \(path) is larger than \(maximumFileBytes) bytes; it should hold "
          + "one key per line")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw SigningKeyError("signing key file \(path) is not UTF-8 text")
    }
    let keys = try parse(text, source: path)
    if keys.isEmpty {
      throw SigningKeyError("signing key file \(path) holds no key (one key per line)")
    }
    return keys
  }

  /// Keys from the text of a key file.
  public static func parse(_ text: String, source: String) throws(SigningKeyError) -> SigningKeys {
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    do {
      return try SigningKeys(keys: lines.map { Data($0.utf8) })
    } catch {
      throw SigningKeyError("\(source): \(error.message)")
    }
  }

  // MARK: Signing

  /// The signature of a canonical query with the signing (first) key; `nil` without keys.
  public func signature(forCanonicalQuery canonical: String) -> String? {
    material.first.map { Self.signature(canonical, key: SymmetricKey(data: $0)) }
  }

  /// `canonical&sig=…` for `items`, ready to follow `/thumbnails?`; the canonical query alone
  /// without keys.
  public func signedQuery(_ items: [QueryItem]) -> String {
    let canonical = CanonicalQuery.canonical(items)
    guard let signature = signature(forCanonicalQuery: canonical) else { return canonical }
    return canonical.isEmpty ? "sig=\(signature)" : "\(canonical)&sig=\(signature)"
  }

  /// Whether `signature` is the signature of `canonical` under any key. The comparison takes the
  /// same time whichever byte differs and whichever key matches: every key is checked.
  public func verify(signature: String, canonicalQuery canonical: String) -> Bool {
    let given = Array(signature.utf8)
    var matched = false
    for key in material.map(SymmetricKey.init(data:)) {
      let expected = Array(Self.signature(canonical, key: key).utf8)
      matched = Self.constantTimeEqual(given, expected) || matched
    }
    return matched
  }

  static func signature(_ canonical: String, key: SymmetricKey) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: key)
    return base64URL(Data(mac))
  }

  /// URL-safe base64 (RFC 4648 §5) without padding.
  static func base64URL(_ data: Data) -> String {
    var text = data.base64EncodedString()
    text = text.replacingOccurrences(of: "+", with: "-")
    text = text.replacingOccurrences(of: "/", with: "_")
    while text.hasSuffix("=") { text.removeLast() }
    return text
  }

  /// Compares two byte strings in time that depends only on their lengths (which are public: a
  /// signature always has 43 characters), never on where they first differ.
  static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
  }
}

/// A signing key file or key that cannot be used; the message says which and why.
public struct SigningKeyError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
