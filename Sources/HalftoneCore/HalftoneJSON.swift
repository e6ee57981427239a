import Foundation

/// The one JSON encoding of everything Halftone writes (report lines, every `--json`, every
/// HTTP JSON body): snake_case names (each type's `CodingKeys`), keys sorted, slashes unescaped,
/// times as RFC 3339 (`2026-12-02T18:59:00Z`).
public enum HalftoneJSON {
  public static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
  }

  /// Reads what `encoder()` wrote.
  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }
}
