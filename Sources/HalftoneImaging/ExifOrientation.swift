import HalftoneSpec

/// One of the eight EXIF orientations: how the stored pixels are turned to be displayed.
///
/// Plans give regions in display orientation. Rotating a whole master first is the slow way; the
/// thumbnailer maps the region into stored orientation instead, crops and resizes there, and turns
/// only the small result.
struct ExifOrientation: Hashable, Sendable {
  /// 1 (as stored) … 8, per the EXIF/TIFF Orientation tag.
  let value: Int

  init?(_ value: Int) {
    guard (1...8).contains(value) else { return nil }
    self.value = value
  }

  /// 5–8 turn the image by 90 degrees: display width is the stored height.
  var swapsAxes: Bool { value >= 5 }

  /// The displayed size of a stored `width`×`height` image.
  func displaySize(storedWidth: Int, storedHeight: Int) -> (width: Int, height: Int) {
    swapsAxes ? (storedHeight, storedWidth) : (storedWidth, storedHeight)
  }

  /// The stored-pixel rectangle that is displayed as `rect`.
  ///
  /// The tag says where stored row 0 and column 0 appear: 2 mirrors left-right, 3 turns 180°,
  /// 4 mirrors top-bottom, 5 transposes, 6 is stored turned 90° anticlockwise (displayed after a
  /// clockwise turn), 7 transverses, 8 is stored turned 90° clockwise.
  func storedRect(for rect: PixelRect, storedWidth sw: Int, storedHeight sh: Int) -> PixelRect {
    let (x, y, w, h) = (rect.x, rect.y, rect.width, rect.height)
    switch value {
    case 2: return PixelRect(x: sw - x - w, y: y, width: w, height: h)
    case 3: return PixelRect(x: sw - x - w, y: sh - y - h, width: w, height: h)
    case 4: return PixelRect(x: x, y: sh - y - h, width: w, height: h)
    case 5: return PixelRect(x: y, y: x, width: h, height: w)
    case 6: return PixelRect(x: y, y: sh - x - w, width: h, height: w)
    case 7: return PixelRect(x: sw - y - h, y: sh - x - w, width: h, height: w)
    case 8: return PixelRect(x: sw - y - h, y: x, width: h, height: w)
    default: return rect
    }
  }
}
