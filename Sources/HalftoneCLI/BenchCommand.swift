import ArgumentParser
import Foundation
import HalftoneImaging
import HalftoneSpec

/// `halftone bench`: thumbnail throughput of the imaging stage on images held in memory.
struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure thumbnailing throughput on a directory of images.",
    discussion: """
      Loads every image in DIR into memory (no disk or network in the timed part), renders each once
      to warm up, then thumbnails images × --repeat on --threads threads and prints images/s,
      source megapixels/s, per-image latency percentiles and the peak resident set size.
      """
  )

  @Argument(help: "A directory of images (read recursively; non-images are ignored).")
  var directory: String

  @Option(help: "Output size as WxH (the declared size of an article image).")
  var size: String?

  @Option(help: "A bare query of Fastly IO parameters instead of --size, e.g. 'width=640'.")
  var spec: String?

  @Option(help: "Threads rendering at once.")
  var threads = 1

  @Option(help: "Output format: jpeg, png, webp or avif.")
  var format: OutputFormat?

  @Option(
    name: .customLong("repeat"), help: "How many times each image is rendered in the timed part.")
  var repeatCount = 1

  @Flag(help: "Print the result as JSON.")
  var json = false

  func validate() throws {
    if threads < 1 || threads > 256 { throw ValidationError("--threads must be 1–256.") }
    if repeatCount < 1 { throw ValidationError("--repeat must be at least 1.") }
    if size != nil && spec != nil {
      throw ValidationError("Give either --size or --spec, not both.")
    }
    if let size, BenchCommand.parseSize(size) == nil {
      throw ValidationError("--size must look like 640x480.")
    }
  }

  func run() async throws {
    var thumbnailSpec: ThumbnailSpec
    do {
      let declared = BenchCommand.parseSize(size ?? (spec == nil ? "640x480" : ""))
      thumbnailSpec = try ThumbnailSpec.parse(
        query: spec ?? "", dialect: .fastly, declaredWidth: declared?.0, declaredHeight: declared?.1
      )
      try thumbnailSpec.override(width: nil, height: nil, format: format, quality: nil)
    } catch {
      throw CommandFailure(error, exitCode: 2)
    }
    let corpus = try BenchCorpus.load(directory: directory)
    guard !corpus.images.isEmpty else {
      throw CommandFailure.usage("no images found in \(directory)")
    }
    let thumbnailer = Thumbnailer()
    let result = BenchRunner(
      corpus: corpus, spec: thumbnailSpec, thumbnailer: thumbnailer, threads: threads,
      repeats: repeatCount
    ).run()
    if json {
      printJSON(result)
    } else {
      print(result.text)
    }
    if result.failures > 0 {
      throw CommandFailure(
        kind: result.firstFailure ?? "imaging",
        message: "\(result.failures) of \(result.renders) renders failed")
    }
  }

  static func parseSize(_ text: String) -> (Int, Int)? {
    let parts = text.lowercased().split(separator: "x")
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else {
      return nil
    }
    return (w, h)
  }
}
