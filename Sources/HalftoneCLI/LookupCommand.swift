import ArgumentParser
import Foundation
import Halftone
import HalftoneSpec
import HalftoneStore

/// `halftone lookup URL`: what the cache holds for one image reference.
struct LookupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup",
    abstract: "Show the cached original and thumbnails of an image URL.",
    discussion: """
      The URL is resolved as prefetch and serve resolve it (CDN parameters, plus --width/--height
      as an article declares them; candidate URLs in the same order). Prints each blob's digest,
      absolute file path, size and format. With a size: the thumbnail for that spec (and with
      --all every thumbnail of the original); exit status 1 unless it is cached. Without a size:
      every cached thumbnail of the original; exit status 1 unless the original is cached. What is
      cached is printed either way; --json prints the shape of GET /images.
      """
  )

  @OptionGroup var reference: ReferenceOptions

  @Flag(help: "List every thumbnail of the original, not only the one for this URL's spec.")
  var all = false

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var cacheOption: CacheOption
  @OptionGroup var urlRulesOption: URLRulesOption

  func run() async throws {
    let urlRules = try urlRulesOption.load()
    let spec = try reference.spec(rules: urlRules)
    let cache = try cacheOption.open()
    var options = PipelineOptions()
    options.fetchMode = reference.fetch
    options.urlRules = urlRules
    let pipeline = ImagePipeline(cache: cache, fetcher: nil, options: options)
    let description = try await pipeline.describe(spec).withPaths(from: cache)
    let sized = reference.width != nil || reference.height != nil
    if json {
      printJSON(description)
    } else {
      print(Self.text(description, listAll: all || !sized), terminator: "")
    }
    let complete = sized ? description.resolved != nil : description.original != nil
    if !complete {
      if !json {
        let missing = description.original == nil ? "not cached" : "thumbnail not cached"
        FileHandle.standardError.write(Data("halftone: \(missing): \(reference.url)\n".utf8))
      }
      throw ExitCode.failure
    }
  }

  /// The text form: the original, then the thumbnail the reference resolves to (or that it is
  /// missing), then with `listAll` every other thumbnail of the original.
  static func text(_ description: ImageDescription, listAll: Bool) -> String {
    var lines: [String] = []
    guard let candidate = description.candidates.first(where: { $0.usable }),
      let original = candidate.original
    else {
      return "original   not cached\n"
    }
    lines.append("original   \(candidate.url)")
    lines += describe(
      digest: original.digest, path: original.path, bytes: original.bytes ?? 0,
      format: original.format, width: original.width, height: original.height)
    var shown: [ThumbnailInfo] = []
    if let resolved = description.resolved {
      shown.append(resolved.thumbnail)
    } else if !listAll {
      lines.append("thumbnail  not cached (spec key \(description.specKey))")
    }
    if listAll {
      shown += candidate.thumbnails.filter { $0.digest != description.resolved?.thumbnail.digest }
    }
    for thumbnail in shown {
      lines.append("thumbnail  \(thumbnail.specKey)")
      lines += describe(
        digest: thumbnail.digest, path: thumbnail.path, bytes: thumbnail.bytes,
        format: thumbnail.format, width: thumbnail.width, height: thumbnail.height)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func describe(
    digest: Digest, path: String?, bytes: Int, format: String?, width: Int?, height: Int?
  ) -> [String] {
    var size = "\(Quantities.describe(bytes: bytes)) (\(bytes) bytes)"
    if let format { size += ", \(format)" }
    if let width, let height { size += ", \(width)x\(height)" }
    return [
      "  digest   \(digest.hex)",
      "  path     \(path ?? "(not a local file)")",
      "  size     \(size)",
    ]
  }
}
