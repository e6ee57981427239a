import Foundation

/// The environment of a `halftone` process a test starts: the test's own, with
/// `HALFTONE_CHILD_ASAN_OPTIONS` as its `ASAN_OPTIONS` when set. `scripts/sanitize address` sets
/// it so that every process of the product is leak-checked while the test runner is not (XCTest
/// keeps every test case, and with it fixtures and stopped servers, until the process exits, so
/// the runner's report at exit would list what is still owned).
public func halftoneChildEnvironment(
  _ base: [String: String] = ProcessInfo.processInfo.environment
) -> [String: String] {
  var environment = base
  if let options = base["HALFTONE_CHILD_ASAN_OPTIONS"] { environment["ASAN_OPTIONS"] = options }
  return environment
}
