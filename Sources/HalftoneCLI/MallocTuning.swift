import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// glibc malloc settings for a process that decodes images with libvips.
///
/// With glibc's defaults a prefetch at concurrency 32 peaked at ~600 MB resident while the memory
/// it actually used was under half of that: every thread that allocates gets its own arena (up to
/// 8 per core), and each keeps the freed pages of the large buffers that libjpeg churns through (a
/// progressive JPEG's coefficients, 12 MB on average here, up to ~64 MB; downloads, which used to
/// add their bodies, now stream to the cache).
/// One arena keeps a single heap that all threads reuse: 262–285 MB for the same run, and the
/// fastest setting measured (prefetch-only runs of 500 references, 2026-11-27, refs/s · peak RSS):
///
/// | setting                                  | refs/s    | RSS MB  | page faults |
/// |------------------------------------------|-----------|---------|-------------|
/// | 1 arena, dynamic mmap threshold (this)   | 24.6–25.5 | 262–285 | 0.4–0.8 M   |
/// | 2 arenas, dynamic mmap threshold         | 25.0–25.5 | 317–341 | 0.4 M       |
/// | 2 arenas, fixed 1 MiB mmap threshold     | 24.0–24.3 | 259–277 | 1.2 M       |
/// | 2 arenas, fixed 16 MiB / 32 MiB          | 25.3/25.6 | 292/323 | 0.7 M       |
///
/// A fixed mmap threshold bounds memory too, but makes every larger buffer a fresh mapping whose
/// pages the kernel faults in and zeroes on each use; `malloc_trim` after each render did the same
/// (22.5 refs/s); jemalloc (LD_PRELOAD) was slower at equal memory.
///
/// Only `prefetch` applies it (32 references in flight); `bench`, `thumbnail` and `serve` keep
/// glibc's defaults, so `bench` measures renders as any embedding program would run them.
enum MallocTuning {
  /// Applies the settings, unless the environment already tunes malloc (`MALLOC_ARENA_MAX` or
  /// `glibc.malloc.` tunables in `GLIBC_TUNABLES`): an operator's explicit choice wins. Call
  /// early, before the heavy work starts.
  static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) {
    guard let mallopt = mallopt,
      !(environment["GLIBC_TUNABLES"] ?? "").contains("glibc.malloc."),
      environment["MALLOC_ARENA_MAX"] == nil
    else { return }
    _ = mallopt(arenaMax, 1)
  }

  // <malloc.h>'s parameter numbers (stable glibc ABI); Glibc's Swift module does not include
  // <malloc.h>, so mallopt(3) is looked up at run time, and is absent on other C libraries.
  private static let arenaMax: Int32 = -8  // M_ARENA_MAX

  private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
    #if canImport(Glibc)
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
        return nil
      }
      return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    #else
      return nil
    #endif
  }()
}
