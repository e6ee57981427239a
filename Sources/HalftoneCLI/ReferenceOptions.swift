import ArgumentParser
import Halftone
import HalftoneSpec

/// One image reference as `lookup` and `explain` take it: the URL as an article references it,
/// the size the record declares, and which candidates its original comes from.
struct ReferenceOptions: ParsableArguments {
  @Argument(help: "The image URL as the article references it.")
  var url: String

  @Option(help: "Declared width in pixels, as in the record.")
  var width: Int?

  @Option(help: "Declared height in pixels, as in the record.")
  var height: Int?

  @Option(
    help: ArgumentHelp(
      "Which URLs the original is looked up under and fetched from: master or as-written "
        + "(as prefetch)."))
  var fetch: FetchMode = .master

  /// The reference's spec, read as prefetch reads it; a URL or size it cannot read is a usage
  /// error (exit status 2).
  func spec(rules: URLRules) throws -> ThumbnailSpec {
    do {
      return try ThumbnailSpec.parse(
        url: url, declaredWidth: width, declaredHeight: height, rules: rules)
    } catch {
      throw CommandFailure(error, exitCode: 2)
    }
  }
}
