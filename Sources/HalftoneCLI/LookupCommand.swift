import ArgumentParser
import Foundation
import HalftoneSpec
import HalftoneStore

/// `halftone lookup URL`: what the cache holds for one image reference.
struct LookupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup",
    abstract: "Show the cached original and thumbnail of an image URL.",
    discussion: """
      The URL is read like a prefetch reads it (CDN parameters, plus --width/--height as an
      article declares them) to find its master URL and its thumbnail's spec key. Prints each
      blob's digest, absolute file path, size and format. Exit status 1 unless both the original
      and the thumbnail for this URL's spec are cached (what is cached is printed either way).
      """
  )

  @Argument(help: "The image URL as the article references it.")
  var url: String

  @Option(help: "Declared width in pixels, as in the record.")
  var width: Int?

  @Option(help: "Declared height in pixels, as in the record.")
  var height: Int?

  @Flag(help: "List every thumbnail of the original, not only the one for this URL's spec.")
  var all = false

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var cacheOption: CacheOption

  func run() async throws {
    let spec: ThumbnailSpec
    do {
      spec = try ThumbnailSpec.parse(url: url, declaredWidth: width, declaredHeight: height)
    } catch {
      throw CommandFailure(error, exitCode: 2)
    }
    let cache = try cacheOption.open()
    let result = try Self.lookUp(spec: spec, url: url, in: cache, all: all)
    if json {
      printJSON(result)
    } else {
      print(result.text, terminator: "")
    }
    if !result.complete {
      if !json {
        let missing = result.original == nil ? "not cached" : "thumbnail not cached"
        FileHandle.standardError.write(Data("halftone: \(missing): \(url)\n".utf8))
      }
      throw ExitCode.failure
    }
  }

  /// Finds the original under the URLs a prefetch stores it under (master first, then the URL as
  /// written), then the thumbnail for the spec's canonical key.
  static func lookUp(
    spec: ThumbnailSpec, url: String, in cache: Cache, all: Bool
  ) throws(StoreError) -> LookupResult {
    var result = LookupResult(url: url, specKey: spec.canonicalKey)
    for candidate in spec.sourceURLCandidates {
      guard let source = try cache.source(forURL: candidate) else { continue }
      result.original = LookupResult.Blob(
        digest: source.original, path: cache.blobURL(source.original)?.path, bytes: source.bytes,
        format: source.format?.rawValue, width: source.width, height: source.height,
        url: candidate, specKey: nil)
      break
    }
    guard let original = result.original?.digest else { return result }
    let variants =
      all
      ? try cache.variants(original: original)
      : try cache.variant(original: original, specKey: result.specKey).map { [$0] } ?? []
    result.thumbnails = variants.map { variant in
      LookupResult.Blob(
        digest: variant.thumbnail, path: cache.blobURL(variant.thumbnail)?.path,
        bytes: variant.bytes, format: variant.format.rawValue, width: variant.width,
        height: variant.height, url: nil, specKey: variant.specKey)
    }
    result.complete = result.thumbnails.contains { $0.specKey == result.specKey }
    return result
  }
}

/// What `lookup` found, as printed with `--json`.
struct LookupResult: Encodable {
  struct Blob: Encodable {
    var digest: Digest
    /// Absolute path of the blob file.
    var path: String?
    var bytes: Int
    var format: String?
    var width: Int?
    var height: Int?
    /// For the original: the URL it is stored under.
    var url: String?
    /// For a thumbnail: its spec key.
    var specKey: String?
  }

  var url: String
  var specKey: String
  var original: Blob?
  var thumbnails: [Blob] = []

  /// Both the original and the thumbnail for `specKey` are cached.
  var complete = false

  var text: String {
    var lines: [String] = []
    if let original {
      lines.append("original   \(original.url ?? url)")
      lines += Self.describe(original)
    } else {
      lines.append("original   not cached")
    }
    if !thumbnails.contains(where: { $0.specKey == specKey }) {
      lines.append("thumbnail  not cached (spec key \(specKey))")
    }
    for thumbnail in thumbnails {
      lines.append("thumbnail  \(thumbnail.specKey ?? specKey)")
      lines += Self.describe(thumbnail)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func describe(_ blob: Blob) -> [String] {
    var size = "\(Quantities.describe(bytes: blob.bytes)) (\(blob.bytes) bytes)"
    if let format = blob.format { size += ", \(format)" }
    if let width = blob.width, let height = blob.height { size += ", \(width)x\(height)" }
    return [
      "  digest   \(blob.digest.hex)",
      "  path     \(blob.path ?? "(not a local file)")",
      "  size     \(size)",
    ]
  }
}
