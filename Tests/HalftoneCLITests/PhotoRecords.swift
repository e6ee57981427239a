import Foundation
import HalftoneTestSupport

/// Writes `file` (`records.jsonl`) in `dir`: `count` JPEG photos served by `origin` at
/// `/photos/<i>.jpg` for i from `first` (`width + i` × `height` pixels, each answer `delay`
/// late), each referenced once per declared size in `sizes` (as `?width=W`, a CDN query whose
/// master is the query-less URL).
func writePhotoRecords(
  _ dir: TemporaryDirectory, origin: OriginServer, count: Int, first: Int = 0, width: Int = 640,
  height: Int = 480, delay: TimeInterval = 0, sizes: [(width: Int, height: Int)] = [(160, 120)],
  file: String = "records.jsonl"
) throws {
  var lines: [String] = []
  for i in first..<(first + count) {
    let path = "/photos/\(i).jpg"
    var answer = OriginResponse.ok(Fixtures.photoJPEG(width: width + i, height: height))
    if delay > 0 { answer = answer.delayed(by: delay) }
    origin.route(path, .always(answer))
    for size in sizes {
      lines.append(
        #"{"title":"Article \#(i)","images":[{"url":"\#(origin.url(path))?width=\#(size.width)","width":\#(size.width),"height":\#(size.height)}]}"#
      )
    }
  }
  try Data(lines.joined(separator: "\n").utf8).write(
    to: URL(fileURLWithPath: dir.path(file)))
}
