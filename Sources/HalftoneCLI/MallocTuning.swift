import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// glibc malloc settings for a process that decodes images with libvips.
///
/// With glibc's defaults a prefetch at concurrency 32 peaked at ~600 MB resident while the memory
/// it actually used was under half of that: every thread that allocates gets its own arena (up to
/// 8 per core), each keeps the freed pages of the large buffers libvips and the downloads churn
/// through, and the dynamic mmap threshold soon rises so far that multi-megabyte buffers come from
/// those arenas instead of mmap. Two arenas and a fixed 1 MiB mmap threshold (large buffers are
/// mapped, and unmapped when freed) brought the same run to 276–306 MB (Benchmarks/compare, fetch
/// section, and prefetch-only runs); two arenas alone, 362 MB.
///
/// Only `prefetch` applies it: the fixed threshold makes every decode buffer over 1 MiB a fresh
/// mapping (page faults, zeroing), which cost ~9 % of single-threaded render speed in `halftone
/// bench` (15.8 → 14.2 images/s, alternating runs); prefetch trades that for bounded memory with
/// 32 references in flight, while `bench` and `thumbnail` keep glibc's defaults.
enum MallocTuning {
  /// Applies the settings, unless the environment already tunes malloc (`MALLOC_ARENA_MAX`,
  /// `MALLOC_MMAP_THRESHOLD_`, or `glibc.malloc.` tunables in `GLIBC_TUNABLES`): an operator's
  /// explicit choice wins. Call early, before the heavy work starts.
  static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) {
    guard let mallopt = mallopt,
      !(environment["GLIBC_TUNABLES"] ?? "").contains("glibc.malloc.")
    else { return }
    if environment["MALLOC_ARENA_MAX"] == nil {
      _ = mallopt(arenaMax, 2)
    }
    if environment["MALLOC_MMAP_THRESHOLD_"] == nil {
      _ = mallopt(mmapThreshold, 1 << 20)
    }
  }

  // <malloc.h>'s parameter numbers (stable glibc ABI); Glibc's Swift module does not include
  // <malloc.h>, so mallopt(3) is looked up at run time, and is absent on other C libraries.
  private static let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
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
