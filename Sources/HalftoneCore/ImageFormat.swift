/// Image encodings Halftone reads, recognised from their magic bytes (never from names or
/// Content-Type headers, which lie).
public enum ImageFormat: String, Sendable, Codable, CaseIterable, Hashable {
  case jpeg, png, webp, gif, tiff, heif, avif

  /// The IANA media type, for Content-Type headers.
  public var mediaType: String {
    switch self {
    case .jpeg: "image/jpeg"
    case .png: "image/png"
    case .webp: "image/webp"
    case .gif: "image/gif"
    case .tiff: "image/tiff"
    case .heif: "image/heif"
    case .avif: "image/avif"
    }
  }

  /// Recognises an image from its first bytes; `nil` when the bytes are not a supported image
  /// (HTML error pages, empty bodies, PDFs, SVG…).
  public static func sniff<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat?
  where Bytes.Element == UInt8 {
    let head = Array(bytes.prefix(32))
    func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
      head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
    }
    if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
    if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
    if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
    if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
    // ISO BMFF: size(4) "ftyp" brand(4). AVIF and HEIF share the container; the brand tells.
    if starts(Array("ftyp".utf8), at: 4), head.count >= 12 {
      let brand = String(decoding: head[8..<12], as: UTF8.self)
      switch brand {
      case "avif", "avis": return .avif
      case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1": return .heif
      default: return nil
      }
    }
    return nil
  }
}
