import HalftoneSpec
import XCTest

/// A display-oriented source of the given size (JPEG, opaque unless told).
func source(_ width: Int, _ height: Int, _ format: ImageFormat = .jpeg, alpha: Bool = false)
  -> ImageProbe
{
  ImageProbe(width: width, height: height, format: format, hasAlpha: alpha)
}

func rect(_ width: Int, _ height: Int, _ x: Int, _ y: Int) -> PixelRect {
  PixelRect(x: x, y: y, width: width, height: height)
}

/// A Fastly URL on the seed's CDN with `query`.
func fastlyURL(_ query: String) -> String {
  "https://www.gannett-cdn.com/presto/2019/06/01/USAT/photo.jpg?\(query)"
}

/// Parses a bare Fastly query and plans it for `source`.
func fastlyPlan(
  _ query: String, _ source: ImageProbe, declaredWidth: Int? = nil, declaredHeight: Int? = nil,
  file: StaticString = #filePath, line: UInt = #line
) throws -> ThumbnailPlan {
  let spec = try ThumbnailSpec.parse(
    query: query, dialect: .fastly, declaredWidth: declaredWidth, declaredHeight: declaredHeight)
  return try spec.plan(for: source)
}

/// Asserts that `body` throws a `SpecError` of `kind` (naming `parameter` when given) and returns
/// it for further checks.
@discardableResult
func assertSpecError<T>(
  _ kind: ErrorKind, parameter: String? = nil, _ body: () throws -> T,
  file: StaticString = #filePath, line: UInt = #line
) -> SpecError? {
  do {
    let value = try body()
    XCTFail("expected \(kind.rawValue), got \(value)", file: file, line: line)
    return nil
  } catch let error as SpecError {
    XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
    if let parameter {
      XCTAssertEqual(error.parameter, parameter, "\(error)", file: file, line: line)
    }
    return error
  } catch {
    XCTFail("expected SpecError, got \(error)", file: file, line: line)
    return nil
  }
}

/// The region, size and gravity of a plan, for compact assertions.
struct Shape: Equatable, CustomStringConvertible {
  var region: PixelRect
  var width: Int
  var height: Int
  var gravity: Gravity = .centre
  var description: String { "\(region) → \(width)x\(height) \(gravity)" }
}

extension ThumbnailPlan {
  var shape: Shape { Shape(region: region, width: width, height: height, gravity: gravity) }
}
