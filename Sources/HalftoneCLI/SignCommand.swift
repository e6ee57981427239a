import ArgumentParser
import Foundation
import HalftoneServer
import HalftoneSpec

/// `halftone sign`: prints a signed `/thumbnails` link for `halftone serve --signing-key-file`.
struct SignCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sign",
    abstract: "Print a signed /thumbnails URL for an image reference.",
    discussion: """
      sig = URL-safe base64 without padding of HMAC-SHA256(first key, canonical query). The \
      canonical query is every parameter but sig, percent-decoded, sorted by name then value, \
      re-encoded with only A-Z a-z 0-9 - . _ ~ kept as they are (every other byte as %XX, \
      upper-case hex), joined with &. The printed query is already canonical.

      Environment: HALFTONE_SIGNING_KEY_FILE for --signing-key-file, HALFTONE_BASE for --base.
      """
  )

  @Argument(help: "The image URL as a record writes it (a CDN URL with its own query).")
  var url: String

  @Option(help: "Declared width in pixels (wins over the URL's size).")
  var width: Int?

  @Option(help: "Declared height in pixels.")
  var height: Int?

  @Option(help: "Force the output format: jpeg, png, webp or avif.")
  var format: String?

  @Option(help: "File of HMAC keys, one per line; the first signs.")
  var signingKeyFile: String?

  @Option(help: "Print an absolute URL on this server, e.g. http://127.0.0.1:8080.")
  var base: String?

  func run() throws {
    let environment = ServerEnvironment()
    guard let keyFile = signingKeyFile ?? environment.string("HALFTONE_SIGNING_KEY_FILE") else {
      throw CommandFailure.usage(
        "no signing key: give --signing-key-file FILE or set HALFTONE_SIGNING_KEY_FILE")
    }
    let keys: SigningKeys
    do { keys = try SigningKeys.load(path: keyFile) } catch {
      throw CommandFailure.usage(error.message)
    }
    var outputFormat: OutputFormat?
    if let format {
      guard let parsed = ThumbnailLink.format(named: format) else {
        throw CommandFailure.usage("--format \(format): expected jpeg, png, webp or avif")
      }
      outputFormat = parsed
    }
    let path: String
    do {
      path = try ThumbnailLink.path(
        url: url, width: width, height: height, format: outputFormat, keys: keys)
    } catch {
      throw CommandFailure(error, exitCode: 2)
    }
    if let base = base ?? environment.string("HALFTONE_BASE") {
      print(ThumbnailLink.absolute(base: base, path: path))
    } else {
      print(path)
    }
  }
}
