import HalftoneSpec
import XCTest

/// One row of a dialect table: a URL as a vendor's documentation (or a publisher's page) writes
/// it, a source size, and what Halftone must read from it.
struct DialectRow {
  var url: String
  var source: (width: Int, height: Int)
  /// The master to fetch first (`""`: none derivable, the URL as written is fetched).
  var master: String
  var shape: Shape
  var quality: Int?
  var format: OutputFormat?
  var declared: (width: Int?, height: Int?) = (nil, nil)

  init(
    _ url: String, source: (Int, Int), master: String, _ shape: Shape, quality: Int? = nil,
    format: OutputFormat? = nil, declared: (Int?, Int?) = (nil, nil)
  ) {
    self.url = url
    self.source = source
    self.master = master
    self.shape = shape
    self.quality = quality
    self.format = format
    self.declared = declared
  }
}

/// A plan's shape: region (width, height, x, y), output width and height, gravity.
func shape(
  _ region: (Int, Int, Int, Int), _ width: Int, _ height: Int, _ gravity: Gravity = .centre
) -> Shape {
  Shape(
    region: rect(region.0, region.1, region.2, region.3), width: width, height: height,
    gravity: gravity)
}

/// Reads every row in `dialect` and checks its master, region, output size, gravity, and (when
/// given) quality and format.
func assertRows(
  _ dialect: Dialect, _ rows: [DialectRow], file: StaticString = #filePath, line: UInt = #line
) {
  for row in rows {
    do {
      let spec = try ThumbnailSpec.parse(
        url: row.url, declaredWidth: row.declared.width, declaredHeight: row.declared.height)
      XCTAssertEqual(spec.dialect, dialect, row.url, file: file, line: line)
      XCTAssertEqual(spec.masterURL, row.master, row.url, file: file, line: line)
      let plan = try spec.plan(for: source(row.source.width, row.source.height))
      XCTAssertEqual(plan.shape, row.shape, row.url, file: file, line: line)
      if let quality = row.quality {
        XCTAssertEqual(plan.quality, quality, row.url, file: file, line: line)
      }
      if let format = row.format {
        XCTAssertEqual(plan.format, format, row.url, file: file, line: line)
      }
    } catch {
      XCTFail("\(row.url): \(error)", file: file, line: line)
    }
  }
}
