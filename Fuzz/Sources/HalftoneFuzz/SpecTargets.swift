import Foundation
import HalftoneSpec

/// The spec parsers: every dialect's URL grammar, site rules, bare queries; then planning against
/// a few source sizes. Every plan must stay inside its source and within the output bounds.
enum SpecTargets {
  static let rules: URLRules = {
    do {
      return URLRules(rules: [
        try URLRules.Rule(host: "cdn.fuzz.example", dialect: .cloudinary, line: 1),
        try URLRules.Rule(host: "*.fuzz.example", dialect: .imgix, line: 2),
        try URLRules.Rule(
          host: "media.fuzz.example", pattern: #"^(https?://[^/]+/.+)_(\d+)w\.(\w+)$"#,
          masters: ["$1_original.$3", "$1_$2.$3"], line: 3),
      ])
    } catch {
      fatalError("the fuzz rules are invalid: \(error)")
    }
  }()

  static let sources = [(1, 1), (640, 480), (3600, 2600), (8192, 3), (40_000, 30_000)]

  static func url(_ data: Data) {
    let text = String(decoding: data, as: UTF8.self)
    for declared in [(nil, nil), (Int?(640), Int?(480))] as [(Int?, Int?)] {
      guard
        let spec = try? ThumbnailSpec.parse(
          url: text, declaredWidth: declared.0, declaredHeight: declared.1, rules: rules)
      else { continue }
      check(spec)
    }
  }

  static func query(_ data: Data) {
    guard let first = data.first else { return }
    let dialects = Dialect.allCases
    let dialect = dialects[Int(first) % dialects.count]
    let text = String(decoding: data.dropFirst(), as: UTF8.self)
    guard let spec = try? ThumbnailSpec.parse(query: text, dialect: dialect) else { return }
    check(spec)
  }

  static func check(_ spec: ThumbnailSpec) {
    _ = spec.canonicalKey
    _ = spec.parameters
    for (width, height) in sources {
      let source = ImageProbe(width: width, height: height, format: .jpeg, hasAlpha: false)
      guard let plan = try? spec.plan(for: source) else { continue }
      let region = plan.region
      invariant(
        region.x >= 0 && region.y >= 0 && region.width >= 1 && region.height >= 1
          && region.x + region.width <= width && region.y + region.height <= height,
        "region \(region) outside \(width)x\(height) for \(spec.imageURL)")
      invariant(
        (1...8192).contains(plan.width) && (1...8192).contains(plan.height),
        "output \(plan.width)x\(plan.height) out of bounds for \(spec.imageURL)")
      invariant((1...100).contains(plan.quality), "quality \(plan.quality)")
    }
  }
}
