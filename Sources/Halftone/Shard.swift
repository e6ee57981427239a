import Foundation
import HalftoneRecords
import HalftoneSpec
import HalftoneStore

/// One of `count` disjoint parts of an archive's references, for machines that split a prefetch
/// without talking to each other: a reference belongs to the shard its master URL hashes to, so
/// every reference to one master lands on one machine and no master is fetched twice.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
  /// 0-based.
  public let index: Int
  public let count: Int

  /// `nil` unless `0 ≤ index < count` and `count` is 1–65536.
  public init?(index: Int, count: Int) {
    guard (1...65_536).contains(count), (0..<count).contains(index) else { return nil }
    self.index = index
    self.count = count
  }

  /// Parses `I/N`.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
    self.init(index: index, count: count)
  }

  public var description: String { "\(index)/\(count)" }

  /// Whether `reference` is this shard's. A reference whose URL does not parse is placed by its
  /// URL as written (it is reported, once, by the shard it falls to).
  public func contains(_ reference: ImageReference, rules: URLRules = .none) -> Bool {
    let key: String
    if let spec = try? ThumbnailSpec.parse(
      url: reference.url, declaredWidth: reference.declaredWidth,
      declaredHeight: reference.declaredHeight, rules: rules),
      let master = SourceCandidate.candidates(for: spec, mode: .master).first
    {
      key = master.url
    } else {
      key = reference.url
    }
    return Self.shard(of: key, count: count) == index
  }

  /// The shard of `key`: the first 8 bytes of its SHA-256, modulo `count` (the same on every
  /// machine and every run).
  public static func shard(of key: String, count: Int) -> Int {
    let hex = Digest.of(Data(key.utf8)).hex.prefix(16)
    return Int(UInt64(hex, radix: 16)! % UInt64(count))
  }
}
