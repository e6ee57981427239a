import ArgumentParser
import Foundation
import HalftoneImaging
import HalftoneSpec

/// `halftone thumbnail`: one thumbnail from a local file, with the same rules as prefetch.
struct ThumbnailCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "thumbnail",
    abstract: "Make one thumbnail of a local image file.",
    discussion: """
      The crop and size come from an image URL's CDN parameters (--url), a bare query (--spec,
      read as Fastly Image Optimizer parameters), and/or --width/--height (the size an article
      declares, which wins over the URL's). The output format is --format, else the spec's, else
      the output file's extension, else the source's family (JPEG, or PNG when it has alpha).

      Example: halftone thumbnail master.jpg \\
        --url 'https://www.gannett-cdn.com/presto/x.JPG?crop=3104,2328,x175,y0&quality=50&width=640' \\
        --width 640 --height 480 -o thumb.jpg
      """
  )

  @Argument(help: "The image file to read (JPEG, PNG, WebP, GIF, TIFF, HEIC/AVIF).")
  var input: String

  @Option(help: "An image URL whose query (Fastly IO, imgix, Photon) gives the crop and size.")
  var url: String?

  @Option(help: "A bare query of Fastly IO parameters, e.g. 'crop=16:9&width=960'.")
  var spec: String?

  @Option(help: "Declared output width in pixels.")
  var width: Int?

  @Option(help: "Declared output height in pixels.")
  var height: Int?

  @Option(help: "Output format: jpeg, png, webp or avif.")
  var format: OutputFormat?

  @Option(help: "Output quality, 1–100.")
  var quality: Int?

  @Option(
    help: "Refuse sources with more pixels than this (read from the header, before decoding).")
  var maxPixels = 100_000_000

  @Option(name: .shortAndLong, help: "Where to write the thumbnail.")
  var output: String

  @OptionGroup var urlRulesOption: URLRulesOption

  func validate() throws {
    if url != nil && spec != nil {
      throw ValidationError("Give either --url or --spec, not both.")
    }
    if maxPixels < 1 { throw ValidationError("--max-pixels must be at least 1.") }
  }

  func run() async throws {
    var thumbnailSpec = try parsedSpec()
    let outputFormat = format ?? OutputFormat(fileExtensionOf: output)
    do {
      try thumbnailSpec.override(
        width: width, height: height,
        format: format ?? (thumbnailSpec.format == nil ? outputFormat : nil),
        quality: quality)
    } catch {
      throw CommandFailure(error, exitCode: 2)
    }
    let bytes: Data
    do {
      bytes = try Data(contentsOf: URL(fileURLWithPath: input))
    } catch {
      throw CommandFailure(
        kind: "io", message: "cannot read \(input): \(error.localizedDescription)")
    }
    let thumbnailer = Thumbnailer(maxPixels: maxPixels)
    let thumbnail = try thumbnailer.thumbnail(bytes) { source throws(SpecError) in
      try thumbnailSpec.plan(for: source)
    }
    do {
      try thumbnail.bytes.write(to: URL(fileURLWithPath: output), options: .atomic)
    } catch {
      throw CommandFailure(
        kind: "io", message: "cannot write \(output): \(error.localizedDescription)")
    }
    for warning in thumbnailSpec.warnings {
      FileHandle.standardError.write(Data("halftone: warning: \(warning)\n".utf8))
    }
    print(
      "\(output): \(thumbnail.width)x\(thumbnail.height) \(thumbnail.format.rawValue), \(thumbnail.bytes.count) bytes"
    )
  }

  private func parsedSpec() throws -> ThumbnailSpec {
    let rules = try urlRulesOption.load()
    do {
      if let url {
        return try ThumbnailSpec.parse(
          url: url, declaredWidth: width, declaredHeight: height, rules: rules)
      }
      return try ThumbnailSpec.parse(
        query: spec ?? "", dialect: .fastly, declaredWidth: width, declaredHeight: height)
    } catch {
      throw CommandFailure(error, exitCode: 2)
    }
  }
}

extension OutputFormat: ExpressibleByArgument {
  public init?(argument: String) {
    switch argument.lowercased() {
    case "jpeg", "jpg": self = .jpeg
    case "png": self = .png
    case "webp": self = .webp
    case "avif": self = .avif
    default: return nil
    }
  }

  /// The format a file name's extension names, if any.
  init?(fileExtensionOf path: String) {
    self.init(argument: URL(fileURLWithPath: path).pathExtension)
  }
}
