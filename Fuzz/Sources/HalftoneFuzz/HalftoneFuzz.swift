import Foundation

// `halftone-fuzz TARGET [libFuzzer options] [CORPUS…]`: libFuzzer's own `main` runs the program
// (the fuzzer runtime brings it); these two C entry points are what it calls. The target is the
// first argument (or `HALFTONE_FUZZ_TARGET`); every other argument is libFuzzer's
// (`-max_total_time=60`, `-runs=0` to replay a corpus, a crash file to reproduce it).

/// Called once before fuzzing: picks the target and removes its name from the arguments, so
/// that libFuzzer does not take it for a corpus directory.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
  var name = ProcessInfo.processInfo.environment["HALFTONE_FUZZ_TARGET"]
  if name == nil, argc.pointee >= 2, let arguments = argv.pointee, let first = arguments[1] {
    let candidate = String(cString: first)
    if FuzzTarget.all[candidate] != nil {
      name = candidate
      // Shift the rest down over the target's name (argv keeps its terminating nil).
      for index in 1..<Int(argc.pointee) { arguments[index] = arguments[index + 1] }
      argc.pointee -= 1
    }
  }
  guard let name, let target = FuzzTarget.all[name] else {
    let names = FuzzTarget.all.keys.sorted().joined(separator: ", ")
    FileHandle.standardError.write(
      Data("usage: halftone-fuzz TARGET [libFuzzer options] [CORPUS…]\ntargets: \(names)\n".utf8))
    exit(2)
  }
  FuzzTarget.selected = target
  target.prepare()
  return 0
}

/// One input for the selected target. libFuzzer calls it on one thread.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
  FuzzTarget.selected?.run(bytes)
  return 0
}
