// The tests' own libvips wrapper: what fixtures and checks need on top of the thumbnailer's wrapper
// (HalftoneImaging/Vips*.swift), over the tests' C shim (Tests/CHalftoneTestShim). Production never
// makes images from nothing, does arithmetic on them or writes HEIC, GIF or TIFF, so none of that
// is in Halftone's API. It builds on HalftoneImaging's `package` plumbing (`handle`, `derive`,
// `save`…), so images made here run through the production operations unchanged.
import CHalftoneTestShim
import Foundation
import HalftoneImaging

// MARK: libvips' state

extension VipsRuntime {
  /// VipsImage objects alive in the process, for checks that nothing outlives a call.
  public static var liveImageCount: Int { Int(htest_live_image_count()) }

  /// Operations in libvips' cache: 0 once started, as the cache is off. Start libvips first.
  public static var cachedOperationCount: Int { Int(htest_cache_size()) }
}

// MARK: Making images

extension VipsImage {
  /// Opens encoded bytes (a private copy of them). Reads the header only; pixels are decoded when
  /// something computes them (`materialized()`, a save), which is also where decoding errors
  /// appear.
  /// - Parameter options: loader options, e.g. `"fail_on=error,access=sequential,shrink=4"`. Each
  ///   loader accepts its own set; an unknown option is an error.
  public convenience init(buffer: Data, options: String = "") throws(VipsError) {
    try self.init(pinned: PinnedBytes(buffer), options: options)
  }

  /// Makes an image from raw 8-bit band-interleaved pixels (copied), interpreted as `space`.
  public convenience init(
    pixels: [UInt8], width: Int, height: Int, bands: Int, space: VipsColourSpace = .srgb
  ) throws(VipsError) {
    try VipsRuntime.ensureStarted()
    guard width > 0, height > 0, bands > 0, pixels.count == width * height * bands else {
      throw VipsError(
        operation: "new_from_memory",
        message: "\(pixels.count) bytes do not make \(width)x\(height)x\(bands)")
    }
    let made = pixels.withUnsafeBytes { raw in
      htest_new_from_uchar_copy(
        raw.baseAddress, raw.count, Int32(width), Int32(height), Int32(bands), space.cValue)
    }
    guard let made else { throw VipsError.fromBuffer("new_from_memory") }
    self.init(taking: made, pinned: [])
  }

  /// A black (zero) uchar image.
  public static func black(width: Int, height: Int, bands: Int = 1) throws(VipsError) -> VipsImage {
    try generate("black") { htest_black(&$0, Int32(width), Int32(height), Int32(bands)) }
  }

  /// Two int bands holding each pixel's x and y.
  public static func xyz(width: Int, height: Int) throws(VipsError) -> VipsImage {
    try generate("xyz") { htest_xyz(&$0, Int32(width), Int32(height)) }
  }

  /// One float band of gaussian noise; the same seed gives the same pixels.
  public static func gaussianNoise(
    width: Int, height: Int, sigma: Double, mean: Double = 0, seed: Int = 0
  ) throws(VipsError) -> VipsImage {
    try generate("gaussnoise") {
      htest_gaussnoise(
        &$0, Int32(width), Int32(height), sigma, mean, Int32(truncatingIfNeeded: seed))
    }
  }

  /// Runs a generator (no input image).
  static func generate(
    _ operation: String, _ call: (inout VipsImage.Handle?) -> Int32
  ) throws(VipsError) -> VipsImage {
    try VipsRuntime.ensureStarted()
    var out: VipsImage.Handle?
    guard call(&out) == 0, let out else { throw VipsError.fromBuffer(operation) }
    return VipsImage(taking: out, pinned: [])
  }
}

// MARK: Headers

extension VipsImage {
  /// The loader libvips would pick for these bytes (`"VipsForeignLoadJpegBuffer"`…), or nil when
  /// no permitted loader recognises them.
  public static func loaderName(for bytes: Data) throws(VipsError) -> String? {
    try VipsRuntime.ensureStarted()
    guard !bytes.isEmpty else { return nil }
    return loaderName(for: PinnedBytes(bytes))
  }

  /// Bands per pixel (alpha included).
  public var bands: Int { Int(htest_bands(handle)) }

  /// Whether a metadata field is present ("exif-data", "icc-profile-data", "xmp-data"…).
  public func hasField(_ name: String) -> Bool { htest_has_field(handle, name) != 0 }

  /// A string metadata field ("vips-loader"…), nil when absent.
  public func stringField(_ name: String) -> String? {
    htest_get_string(handle, name).map { String(cString: $0) }
  }
}

// MARK: Geometry and bands

extension VipsImage {
  /// Rotates clockwise by a multiple of 90 degrees.
  public func rotated(degrees: Int) throws(VipsError) -> VipsImage {
    try derive("rot") { htest_rot($0, &$1, Int32(degrees)) }
  }

  /// Tiles the image `across`×`down` times.
  public func replicated(across: Int, down: Int) throws(VipsError) -> VipsImage {
    try derive("replicate") { htest_replicate($0, &$1, Int32(across), Int32(down)) }
  }

  /// The same pixels, read as another colour space (no conversion).
  public func reinterpreted(as space: VipsColourSpace) throws(VipsError) -> VipsImage {
    try derive("copy") { htest_copy_interpretation($0, &$1, space.cValue) }
  }

  /// Bands `first ..< first + count`.
  public func bands(_ first: Int, count: Int = 1) throws(VipsError) -> VipsImage {
    try derive("extract_band") { htest_extract_band($0, &$1, Int32(first), Int32(count)) }
  }

  /// Joins images band-wise (all the same size).
  public static func bandjoin(_ images: [VipsImage]) throws(VipsError) -> VipsImage {
    var handles: [VipsImage.Handle?] = images.map { $0.handle }
    var out: VipsImage.Handle?
    let status = handles.withUnsafeMutableBufferPointer {
      htest_bandjoin($0.baseAddress, Int32(images.count), &out)
    }
    withExtendedLifetime(images) {}
    guard status == 0, let out else { throw VipsError.fromBuffer("bandjoin") }
    return VipsImage(taking: out, pinned: images.flatMap { $0.pinned })
  }
}

// MARK: Arithmetic and measurement

extension VipsImage {
  /// `self * a + b`, per band when the arrays have one entry per band. The result is float.
  public func linear(_ a: [Double], _ b: [Double]) throws(VipsError) -> VipsImage {
    guard a.count == b.count, !a.isEmpty else {
      throw VipsError(operation: "linear", message: "a and b need the same, non-zero count")
    }
    return try derive("linear") { input, out in
      htest_linear(input, &out, a, b, Int32(a.count))
    }
  }

  /// `self * a + b` on every band. The result is float.
  public func linear(_ a: Double, _ b: Double) throws(VipsError) -> VipsImage {
    try linear([a], [b])
  }

  /// Sine of each value, read as degrees.
  public func sinDegrees() throws(VipsError) -> VipsImage {
    try derive("sin") { htest_sin_degrees($0, &$1) }
  }

  /// Cosine of each value, read as degrees.
  public func cosDegrees() throws(VipsError) -> VipsImage {
    try derive("cos") { htest_cos_degrees($0, &$1) }
  }

  /// Pixel-wise sum (libvips' format promotion: uchar + uchar is ushort…).
  public static func + (left: VipsImage, right: VipsImage) throws(VipsError) -> VipsImage {
    try left.combine("add", right) { htest_add($0, $1, &$2) }
  }

  /// Pixel-wise difference (signed: uchar - uchar is short).
  public static func - (left: VipsImage, right: VipsImage) throws(VipsError) -> VipsImage {
    try left.combine("subtract", right) { htest_subtract($0, $1, &$2) }
  }

  /// Pixel-wise product.
  public static func * (left: VipsImage, right: VipsImage) throws(VipsError) -> VipsImage {
    try left.combine("multiply", right) { htest_multiply($0, $1, &$2) }
  }

  /// The mean of every value of every band (computes the pipeline).
  public func average() throws(VipsError) -> Double {
    var value = 0.0
    guard htest_avg(handle, &value) == 0 else { throw VipsError.fromBuffer("avg") }
    return value
  }

  /// The band values of one pixel (computes what that pixel needs).
  public func pixel(x: Int, y: Int) throws(VipsError) -> [Double] {
    var values = [Double](repeating: 0, count: bands)
    var count: Int32 = 0
    let status = values.withUnsafeMutableBufferPointer {
      htest_getpoint(handle, Int32(x), Int32(y), $0.baseAddress, Int32($0.count), &count)
    }
    guard status == 0 else { throw VipsError.fromBuffer("getpoint") }
    return Array(values.prefix(Int(count)))
  }

  /// Runs a libvips call that makes one image from this one and another.
  func combine(
    _ operation: String, _ other: VipsImage,
    _ call: (
      VipsImage.Handle, VipsImage.Handle,
      inout VipsImage.Handle?
    ) -> Int32
  ) throws(VipsError) -> VipsImage {
    var out: VipsImage.Handle?
    let status = call(handle, other.handle, &out)
    guard status == 0, let out else { throw VipsError.fromBuffer(operation) }
    return VipsImage(taking: out, pinned: pinned + other.pinned)
  }
}

// MARK: Savers for formats Halftone reads but never writes

extension VipsImage {
  /// HEIC (HEIF container, HEVC).
  public func heicData(quality: Int, strip: Bool = true) throws(VipsError) -> Data {
    try save("heifsave(hevc)") { image, bytes, length in
      htest_heicsave(image, bytes, length, Int32(quality), strip ? 1 : 0)
    }
  }

  /// GIF (palette quantised by libvips' cgif saver).
  public func gifData() throws(VipsError) -> Data {
    try save("gifsave") { htest_gifsave($0, $1, $2) }
  }

  /// TIFF (uncompressed, metadata kept).
  public func tiffData() throws(VipsError) -> Data {
    try save("tiffsave") { htest_tiffsave($0, $1, $2) }
  }
}
