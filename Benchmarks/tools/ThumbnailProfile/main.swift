// thumbnail-profile: the imaging work of `halftone bench`, on the main thread only, for
// `valgrind --tool=callgrind` (valgrind 3.19 crashes in libdispatch's worker threads, which any
// async command starts; this has none). Counts instructions, so its figures are repeatable on a
// busy machine:
//
//   swift build -c release --product thumbnail-profile      (in Benchmarks/)
//   valgrind --tool=callgrind .build/release/thumbnail-profile DIR --repeat 5
//
// usage: thumbnail-profile DIR [--repeat N] [--format jpeg|webp|png|avif]
// Renders every image of DIR once (warm-up) and then N more times, to 640x480 (fill, centre).
import Foundation
import HalftoneImaging

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, in arguments: [String]) -> String? {
  guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
  return arguments[index + 1]
}
let repeats = Int(option("--repeat", in: arguments) ?? "1") ?? 1
let format = OutputFormat(rawValue: option("--format", in: arguments) ?? "jpeg") ?? .jpeg
guard let directory = arguments.first, !directory.hasPrefix("--") else {
  FileHandle.standardError.write(Data("usage: thumbnail-profile DIR [--repeat N]\n".utf8))
  exit(2)
}

let thumbnailer = Thumbnailer()
var spec = try ThumbnailSpec.parse(
  query: "", dialect: .fastly, declaredWidth: 640, declaredHeight: 480)
try spec.override(width: nil, height: nil, format: format, quality: nil)

let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
let images = names.compactMap { FileManager.default.contents(atPath: directory + "/" + $0) }
  .filter { (try? thumbnailer.probe($0)) != nil }
var bytes = 0
for _ in 0..<(1 + repeats) {
  for image in images {
    bytes += try thumbnailer.thumbnail(image, spec: spec).bytes.count
  }
}
print("\(images.count) images × \(1 + repeats) renders, \(bytes) bytes written")
