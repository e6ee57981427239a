import ArgumentParser
import Foundation
import Halftone
import HalftoneSpec

/// `halftone explain URL`: how Halftone reads one image URL, without fetching anything.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show how an image URL is read: dialect, master candidates, parameters, plan.",
    discussion: """
      Reads the URL exactly as prefetch and serve do (with --url-rules, and --width/--height as an
      article declares them) and prints its dialect, every URL its original would be fetched from
      in order, the parameters read, and the warnings. With --source WxH (the master's size in
      pixels, display orientation) it also prints the plan: the region cut from that source and the
      output size. Nothing is fetched and no cache is opened.

      Example: halftone explain --width 640 --height 480 --source 3454x2328 \\
        'https://res.cloudinary.com/demo/image/upload/c_crop,w_3104,h_2328,x_175,y_0/c_scale,w_640/sample.jpg'
      """
  )

  @OptionGroup var reference: ReferenceOptions

  @Option(help: "The master's size, WxH pixels, to print the plan for.")
  var source: SourceSize?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var urlRulesOption: URLRulesOption

  func run() throws {
    let rules = try urlRulesOption.load()
    let spec = try reference.spec(rules: rules)
    var explanation = Explanation(
      url: reference.url, dialect: spec.dialect, specKey: spec.canonicalKey,
      candidates: SourceCandidate.candidates(for: spec, mode: reference.fetch),
      parameters: spec.parameters, plan: nil, warnings: spec.warnings)
    if let source {
      let probe = ImageProbe(
        width: source.width, height: source.height, format: .jpeg, hasAlpha: false)
      do {
        explanation.plan = Explanation.Plan(source: source, try spec.plan(for: probe))
      } catch {
        throw CommandFailure(error, exitCode: 2)
      }
    }
    if json {
      printJSON(explanation)
    } else {
      print(explanation.text, terminator: "")
    }
  }
}

/// `--source WxH`.
struct SourceSize: ExpressibleByArgument, Codable, CustomStringConvertible {
  var width: Int
  var height: Int

  init?(argument: String) {
    let sides = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard sides.count == 2, let width = Int(sides[0]), let height = Int(sides[1]),
      (1...Self.maxSide).contains(width), (1...Self.maxSide).contains(height)
    else { return nil }
    self.width = width
    self.height = height
  }

  /// Pixels a side may have: libvips' own limit.
  static let maxSide = 10_000_000

  var description: String { "\(width)x\(height)" }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// What `explain` prints.
struct Explanation: Encodable {
  /// The plan for a source of a given size.
  struct Plan: Encodable {
    var source: SourceSize
    var region: PixelRect
    var width: Int
    var height: Int
    var gravity: Gravity
    var format: OutputFormat
    var quality: Int

    init(source: SourceSize, _ plan: ThumbnailPlan) {
      self.source = source
      region = plan.region
      width = plan.width
      height = plan.height
      gravity = plan.gravity
      format = plan.format
      quality = plan.quality
    }
  }

  var url: String
  var dialect: Dialect
  var specKey: String
  var candidates: [SourceCandidate]
  var parameters: SpecParameters
  var plan: Plan?
  var warnings: [String]

  enum CodingKeys: String, CodingKey {
    case url, dialect
    case specKey = "spec_key"
    case candidates, parameters, plan, warnings
  }

  var text: String {
    var lines = ["dialect     \(dialect.rawValue)"]
    for (number, candidate) in candidates.enumerated() {
      let label = number == 0 ? "candidates" : ""
      lines.append(
        "\(label.padding(toLength: 12, withPad: " ", startingAt: 0))\(number + 1). "
          + "\(candidate.role.rawValue)  \(candidate.url)")
    }
    let parameters = self.parameters
    if let precrop = parameters.precrop { lines.append("precrop     \(precrop)") }
    if let crop = parameters.crop { lines.append("crop        \(crop)") }
    lines.append("size        \(parameters.size)")
    if parameters.size != parameters.urlSize { lines.append("url size    \(parameters.urlSize)") }
    lines.append("anchor      \(parameters.anchor)")
    if parameters.upscale { lines.append("upscale     yes") }
    var format = parameters.format?.rawValue ?? "from the source"
    if !parameters.autoFormats.isEmpty {
      format += " (offered: \(parameters.autoFormats.map(\.rawValue).joined(separator: ", ")))"
    }
    lines.append("format      \(format)")
    lines.append("quality     \(parameters.quality)")
    lines.append("spec key    \(specKey)")
    if let plan {
      lines.append(
        "plan        from \(plan.source): region \(plan.region) → \(plan.width)x\(plan.height)"
          + " \(plan.format.rawValue) q\(plan.quality)"
          + (plan.gravity == .attention ? ", cut by attention" : ""))
    } else {
      lines.append("plan        needs the source's size (--source WxH)")
    }
    for warning in warnings { lines.append("warning     \(warning)") }
    return lines.joined(separator: "\n") + "\n"
  }
}
