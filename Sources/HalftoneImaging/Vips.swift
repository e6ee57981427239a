// The one Swift wrapper over libvips (with VipsOperations.swift and VipsSave.swift): only these
// files touch the C shim. Everything else in Halftone uses `VipsImage`.
import CHalftone
import Foundation

/// A libvips failure: the operation that failed and libvips' own message.
public struct VipsError: Error, Sendable, CustomStringConvertible {
  /// The wrapper call that failed ("resize", "jpegsave"…).
  public var operation: String
  /// libvips' error text (its global error buffer at the time), trimmed.
  public var message: String

  public init(operation: String, message: String) {
    self.operation = operation
    self.message = message
  }

  public var description: String { "\(operation): \(message)" }

  /// Takes (copies and clears) libvips' error buffer. The buffer is one global shared by all
  /// threads, so under concurrent failures a message can carry another thread's text as well.
  static func fromBuffer(_ operation: String) -> VipsError {
    var text = ""
    if let copy = hvips_error_copy() {
      text = String(cString: copy)
      hvips_free(copy)
    }
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let message = lines.filter { !$0.isEmpty }.joined(separator: "; ")
    return VipsError(
      operation: operation, message: message.isEmpty ? "unknown libvips error" : message)
  }
}

/// Process-wide libvips start-up: libvips must be initialised once, from one thread, before use.
public enum VipsRuntime {
  /// Swift runs a global's initialiser exactly once, thread-safely: that is the "once".
  private static let started: Result<Void, VipsError> = {
    if hvips_init() != 0 { return .failure(VipsError.fromBuffer("vips_init")) }
    return .success(())
  }()

  /// Starts libvips if it is not running yet (no operation cache, one thread per pipeline,
  /// untrusted loaders blocked). Safe to call from any thread, any number of times.
  public static func ensureStarted() throws(VipsError) {
    try started.get()
  }

  /// VipsImage objects alive in the process, for checks that nothing outlives a call.
  static var liveImageCount: Int { Int(hvips_live_image_count()) }

  /// Operations in libvips' cache: 0 once started, as the cache is off. Start libvips first.
  static var cachedOperationCount: Int { Int(hvips_cache_size()) }
}

/// Compressed bytes handed to libvips. libvips never copies a buffer and decodes lazily, so these
/// bytes stay pinned (fixed address, alive) for as long as any image made from them.
///
/// Either a copy this object owns (for images that may outlive the caller's bytes), or borrowed
/// bytes (`borrowing(_:_:)`): no copy, but every image made from them must be gone before the
/// borrow ends, which `borrowing` checks.
final class PinnedBytes: @unchecked Sendable {
  let pointer: UnsafeRawPointer
  let count: Int
  private let owned: Bool

  /// A private copy of `data`.
  init(_ data: Data) {
    count = data.count
    let copy = UnsafeMutableRawPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
    data.withUnsafeBytes { raw in
      if let base = raw.baseAddress { copy.copyMemory(from: base, byteCount: raw.count) }
    }
    pointer = UnsafeRawPointer(copy)
    owned = true
  }

  private init(borrowed pointer: UnsafeRawPointer, count: Int) {
    self.pointer = pointer
    self.count = count
    owned = false
  }

  deinit { if owned { UnsafeMutableRawPointer(mutating: pointer).deallocate() } }

  /// Runs `body` with `data`'s own bytes pinned, without copying them (a copy of a multi-megabyte
  /// original costs a memmove plus a page fault for every 4 KiB of fresh memory). Whatever
  /// `body` builds from the pin must be released by the time it returns; an image that escapes
  /// would read freed memory later, so that stops the process here instead.
  static func borrowing<T, Failure: Error>(
    _ data: Data, _ body: (PinnedBytes) throws(Failure) -> T
  ) throws(Failure) -> T {
    let result: Result<T, Failure> = data.withUnsafeBytes { raw in
      // An empty buffer may have no address; libvips is never handed zero bytes anyway.
      var pin = PinnedBytes(
        borrowed: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!, count: raw.count)
      let result = Result { () throws(Failure) in try body(pin) }
      // The Swift side is checked here; libvips' side holds because its operation cache is off
      // (hvips_init): a cached load would keep reading the bytes (BorrowedBytesTests checks it).
      precondition(
        isKnownUniquelyReferenced(&pin),
        "an image made from borrowed bytes outlived the borrow (HalftoneImaging bug)")
      return result
    }
    return try result.get()
  }
}

/// Pixel formats of a band.
public enum VipsPixelFormat: Sendable, Hashable {
  case uchar, char, ushort, short, uint, int, float, double, other

  init(_ format: VipsBandFormat) {
    switch format {
    case VIPS_FORMAT_UCHAR: self = .uchar
    case VIPS_FORMAT_CHAR: self = .char
    case VIPS_FORMAT_USHORT: self = .ushort
    case VIPS_FORMAT_SHORT: self = .short
    case VIPS_FORMAT_UINT: self = .uint
    case VIPS_FORMAT_INT: self = .int
    case VIPS_FORMAT_FLOAT: self = .float
    case VIPS_FORMAT_DOUBLE: self = .double
    default: self = .other
    }
  }

  var cValue: VipsBandFormat {
    switch self {
    case .uchar: VIPS_FORMAT_UCHAR
    case .char: VIPS_FORMAT_CHAR
    case .ushort: VIPS_FORMAT_USHORT
    case .short: VIPS_FORMAT_SHORT
    case .uint: VIPS_FORMAT_UINT
    case .int: VIPS_FORMAT_INT
    case .float: VIPS_FORMAT_FLOAT
    case .double, .other: VIPS_FORMAT_DOUBLE
    }
  }
}

/// How pixel values are to be read (libvips' "interpretation"), reduced to the ones Halftone meets.
public enum VipsColourSpace: Sendable, Hashable {
  case srgb, rgb16, bw, grey16, cmyk, lab, xyz, multiband, other

  init(_ interpretation: VipsInterpretation) {
    switch interpretation {
    case VIPS_INTERPRETATION_sRGB: self = .srgb
    case VIPS_INTERPRETATION_RGB16: self = .rgb16
    case VIPS_INTERPRETATION_B_W: self = .bw
    case VIPS_INTERPRETATION_GREY16: self = .grey16
    case VIPS_INTERPRETATION_CMYK: self = .cmyk
    case VIPS_INTERPRETATION_LAB: self = .lab
    case VIPS_INTERPRETATION_XYZ: self = .xyz
    case VIPS_INTERPRETATION_MULTIBAND: self = .multiband
    default: self = .other
    }
  }

  var cValue: VipsInterpretation {
    switch self {
    case .srgb: VIPS_INTERPRETATION_sRGB
    case .rgb16: VIPS_INTERPRETATION_RGB16
    case .bw: VIPS_INTERPRETATION_B_W
    case .grey16: VIPS_INTERPRETATION_GREY16
    case .cmyk: VIPS_INTERPRETATION_CMYK
    case .lab: VIPS_INTERPRETATION_LAB
    case .xyz: VIPS_INTERPRETATION_XYZ
    case .multiband, .other: VIPS_INTERPRETATION_MULTIBAND
    }
  }
}

/// One libvips image (a node of a lazy pipeline). Owns one reference, released on deinit, and
/// keeps the compressed source bytes of its pipeline alive. Not thread-safe to share: build and use
/// a pipeline on one thread (many pipelines may run on many threads at once).
public final class VipsImage {
  let handle: UnsafeMutablePointer<_VipsImage>
  /// Source bytes the pipeline may still read (libvips reads them lazily, never copying).
  let pinned: [PinnedBytes]

  init(taking handle: UnsafeMutablePointer<_VipsImage>, pinned: [PinnedBytes]) {
    self.handle = handle
    self.pinned = pinned
  }

  deinit { hvips_unref(handle) }

  /// Opens encoded bytes. Reads the header only; pixels are decoded when something computes them
  /// (`materialized()`, a save), which is also where decoding errors appear.
  /// - Parameter options: loader options, e.g. `"fail_on=error,access=sequential,shrink=4"`. Each
  ///   loader accepts its own set; an unknown option is an error.
  public convenience init(buffer: Data, options: String = "") throws(VipsError) {
    try VipsRuntime.ensureStarted()
    try self.init(pinned: PinnedBytes(buffer), options: options)
  }

  /// Opens bytes already pinned (several loads of one source share one copy).
  convenience init(pinned bytes: PinnedBytes, options: String) throws(VipsError) {
    try VipsRuntime.ensureStarted()
    guard let handle = hvips_load_buffer(bytes.pointer, bytes.count, options) else {
      throw VipsError.fromBuffer("load")
    }
    self.init(taking: handle, pinned: [bytes])
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
      hvips_new_from_memory_copy(
        raw.baseAddress, raw.count, Int32(width), Int32(height), Int32(bands), VIPS_FORMAT_UCHAR)
    }
    guard let made else { throw VipsError.fromBuffer("new_from_memory") }
    var tagged: UnsafeMutablePointer<_VipsImage>?
    let status = hvips_copy_interpretation(made, &tagged, space.cValue)
    hvips_unref(made)
    guard status == 0, let tagged else { throw VipsError.fromBuffer("new_from_memory") }
    self.init(taking: tagged, pinned: [])
  }

  /// The loader nickname libvips would pick for these bytes (`"jpegload_buffer"`…), or nil when no
  /// permitted loader recognises them (unknown bytes, or a loader blocked as untrusted).
  public static func loaderName(for bytes: Data) throws(VipsError) -> String? {
    try VipsRuntime.ensureStarted()
    return bytes.withUnsafeBytes { raw -> String? in
      guard let base = raw.baseAddress, raw.count > 0 else { return nil }
      return hvips_find_loader(base, raw.count).map { String(cString: $0) }
    }
  }

  /// Whether this libvips build has an operation (`"heifload_buffer"`…).
  public static func hasOperation(_ nickname: String) throws(VipsError) -> Bool {
    try VipsRuntime.ensureStarted()
    return hvips_has_operation(nickname) != 0
  }

  static func loaderName(for bytes: PinnedBytes) -> String? {
    hvips_find_loader(bytes.pointer, bytes.count).map { String(cString: $0) }
  }

  // MARK: Header

  public var width: Int { Int(hvips_width(handle)) }
  public var height: Int { Int(hvips_height(handle)) }
  public var bands: Int { Int(hvips_bands(handle)) }
  public var pixelFormat: VipsPixelFormat { VipsPixelFormat(hvips_format(handle)) }
  public var colourSpace: VipsColourSpace { VipsColourSpace(hvips_interpretation(handle)) }
  /// libvips' guess from bands and format, for headers that say something odd.
  public var guessedColourSpace: VipsColourSpace {
    VipsColourSpace(hvips_guess_interpretation(handle))
  }
  public var hasAlpha: Bool { hvips_has_alpha(handle) != 0 }
  /// EXIF orientation 1–8 from the header (1 when absent).
  public var orientation: Int { Int(hvips_orientation(handle)) }
  public var hasICCProfile: Bool { hvips_has_icc_profile(handle) != 0 }
  /// Frames in the file (GIF, WebP, HEIF); 1 for still formats.
  public var pageCount: Int { Int(hvips_page_count(handle)) }

  /// Whether a metadata field is present ("exif-data", "icc-profile-data", "xmp-data"…).
  public func hasField(_ name: String) -> Bool { hvips_has_field(handle, name) != 0 }

  /// An integer metadata field, nil when absent.
  public func intField(_ name: String) -> Int? {
    var value: Int32 = 0
    return hvips_get_int(handle, name, &value) == 0 ? Int(value) : nil
  }

  /// A string metadata field ("vips-loader"…), nil when absent.
  public func stringField(_ name: String) -> String? {
    hvips_get_string(handle, name).map { String(cString: $0) }
  }

  // MARK: Plumbing for the operations

  /// Runs a libvips call that makes one image from this one.
  func derive(
    _ operation: String,
    _ call: (UnsafeMutablePointer<_VipsImage>, inout UnsafeMutablePointer<_VipsImage>?) -> Int32
  ) throws(VipsError) -> VipsImage {
    var out: UnsafeMutablePointer<_VipsImage>?
    guard call(handle, &out) == 0, let out else { throw VipsError.fromBuffer(operation) }
    return VipsImage(taking: out, pinned: pinned)
  }

  /// Runs a libvips call that makes one image from this one and another.
  func combine(
    _ operation: String, _ other: VipsImage,
    _ call: (
      UnsafeMutablePointer<_VipsImage>, UnsafeMutablePointer<_VipsImage>,
      inout UnsafeMutablePointer<_VipsImage>?
    ) -> Int32
  ) throws(VipsError) -> VipsImage {
    var out: UnsafeMutablePointer<_VipsImage>?
    let status = call(handle, other.handle, &out)
    guard status == 0, let out else { throw VipsError.fromBuffer(operation) }
    return VipsImage(taking: out, pinned: pinned + other.pinned)
  }

  /// Runs a generator (no input image).
  static func generate(
    _ operation: String, _ call: (inout UnsafeMutablePointer<_VipsImage>?) -> Int32
  ) throws(VipsError) -> VipsImage {
    try VipsRuntime.ensureStarted()
    var out: UnsafeMutablePointer<_VipsImage>?
    guard call(&out) == 0, let out else { throw VipsError.fromBuffer(operation) }
    return VipsImage(taking: out, pinned: [])
  }
}
