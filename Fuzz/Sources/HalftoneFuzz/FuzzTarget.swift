import Foundation

/// A named fuzz target: a function from arbitrary bytes to nothing that must never crash, hang
/// or leak, and that checks the invariants its code promises (a broken one is a crash too).
struct FuzzTarget: Sendable {
  var run: @Sendable (Data) -> Void
  /// One-time set-up before the first input (libvips' start-up), so that it is not charged to
  /// an input as a slow unit.
  var prepare: @Sendable () -> Void = {}

  /// Every target by the name `halftone-fuzz` and `scripts/fuzz` take.
  static let all: [String: FuzzTarget] = [
    "spec-url": FuzzTarget(run: SpecTargets.url),
    "spec-query": FuzzTarget(run: SpecTargets.query),
    "records": FuzzTarget(run: RecordTargets.records),
    "signed-query": FuzzTarget(run: ServerTargets.signedQuery),
    "http-headers": FuzzTarget(run: ServerTargets.headers),
    "fast-path": FuzzTarget(run: FastPathTarget.run, prepare: FastPathTarget.prepare),
    "cdx": FuzzTarget(run: ArchiveTargets.cdx),
    "image": FuzzTarget(run: ImageTargets.image, prepare: ImageTargets.prepare),
  ]

  /// The target `main` chose; libFuzzer's C callback cannot capture it.
  nonisolated(unsafe) static var selected: FuzzTarget?
}

/// A broken invariant: stops the run with the input saved by libFuzzer as a crash.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}
