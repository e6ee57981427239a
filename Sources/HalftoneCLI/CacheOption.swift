import ArgumentParser
import Foundation
import HalftoneStore

/// `--cache DIR`, shared by every command that uses the cache. Falls back to `HALFTONE_CACHE`,
/// then `./Cache`.
struct CacheOption: ParsableArguments {
  @Option(name: .customLong("cache"), help: "Cache root (default: $HALFTONE_CACHE, else ./Cache).")
  var path: String?

  var root: URL {
    Cache.defaultRoot(option: path, environment: ProcessInfo.processInfo.environment)
  }

  func open() throws -> Cache {
    do {
      return try Cache.open(root: root)
    } catch {
      throw CommandFailure(error)
    }
  }
}
