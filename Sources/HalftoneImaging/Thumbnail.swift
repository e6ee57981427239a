import Foundation
import HalftoneSpec

/// An encoded thumbnail.
public struct Thumbnail: Sendable, Hashable {
  /// The encoded image, metadata stripped.
  public var bytes: Data
  public var width: Int
  public var height: Int
  public var format: OutputFormat

  public init(bytes: Data, width: Int, height: Int, format: OutputFormat) {
    self.bytes = bytes
    self.width = width
    self.height = height
    self.format = format
  }
}
