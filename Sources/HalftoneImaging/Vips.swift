// The one Swift wrapper over libvips (with VipsOperations.swift and VipsSave.swift): only these
// files touch the C shim. Everything else in Halftone uses `VipsImage`. It wraps only what the
// thumbnailer does; the tests' generators, arithmetic and extra savers extend `VipsImage` from
// Tests/HalftoneTestSupport (VipsFixtures.swift), through the `package` plumbing below.
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
  package static func fromBuffer(_ operation: String) -> VipsError {
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
}

/// Compressed bytes handed to libvips. libvips never copies a buffer and decodes lazily, so these
/// bytes stay pinned (fixed address, alive) for as long as any image made from them.
///
/// Either a copy this object owns (for images that may outlive the caller's bytes), or borrowed
/// bytes (`borrowing(_:_:)`): no copy, but every image made from them must be gone before the
/// borrow ends, which `borrowing` checks.
package final class PinnedBytes: @unchecked Sendable {
  let pointer: UnsafeRawPointer
  let count: Int
  private let owned: Bool

  /// A private copy of `data`.
  package init(_ data: Data) {
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

  package var cValue: VipsInterpretation {
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
  /// A pointer to a libvips image, named for the tests' wrapper, which cannot name libvips' types.
  package typealias Handle = UnsafeMutablePointer<_VipsImage>

  /// The libvips image; `package` so the tests' wrapper can hand it to its own C calls.
  package let handle: Handle
  /// Source bytes the pipeline may still read (libvips reads them lazily, never copying).
  package let pinned: [PinnedBytes]

  /// Takes over one reference to `handle`; `pinned` are the source bytes it may read.
  package init(taking handle: Handle, pinned: [PinnedBytes]) {
    self.handle = handle
    self.pinned = pinned
  }

  deinit { hvips_unref(handle) }

  /// Opens bytes already pinned (several loads of one source share one copy). Reads the header
  /// only; pixels are decoded when something computes them (`materialized()`, a save), which is
  /// also where decoding errors appear.
  /// - Parameter options: loader options, e.g. `"fail_on=error,access=sequential,shrink=4"`. Each
  ///   loader accepts its own set; an unknown option is an error.
  package convenience init(pinned bytes: PinnedBytes, options: String) throws(VipsError) {
    try VipsRuntime.ensureStarted()
    guard let handle = hvips_load_buffer(bytes.pointer, bytes.count, options) else {
      throw VipsError.fromBuffer("load")
    }
    self.init(taking: handle, pinned: [bytes])
  }

  /// Whether this libvips build has an operation (`"heifload_buffer"`…).
  public static func hasOperation(_ nickname: String) throws(VipsError) -> Bool {
    try VipsRuntime.ensureStarted()
    return hvips_has_operation(nickname) != 0
  }

  /// The loader nickname libvips would pick for these bytes (`"jpegload_buffer"`…), or nil when no
  /// permitted loader recognises them (unknown bytes, or a loader blocked as untrusted).
  package static func loaderName(for bytes: PinnedBytes) -> String? {
    hvips_find_loader(bytes.pointer, bytes.count).map { String(cString: $0) }
  }

  // MARK: Header

  /// Width in pixels, as stored (before any EXIF orientation).
  public var width: Int { Int(hvips_width(handle)) }
  /// Height in pixels, as stored (before any EXIF orientation).
  public var height: Int { Int(hvips_height(handle)) }
  /// The format of every band's values.
  public var pixelFormat: VipsPixelFormat { VipsPixelFormat(hvips_format(handle)) }
  /// How the header says the values are to be read.
  public var colourSpace: VipsColourSpace { VipsColourSpace(hvips_interpretation(handle)) }
  /// Whether the last band is alpha (libvips' reading of bands and interpretation).
  public var hasAlpha: Bool { hvips_has_alpha(handle) != 0 }
  /// EXIF orientation 1–8 from the header (1 when absent).
  public var orientation: Int { Int(hvips_orientation(handle)) }
  /// Whether the image carries an embedded ICC profile.
  public var hasICCProfile: Bool { hvips_has_icc_profile(handle) != 0 }

  /// An integer metadata field ("interlaced"…), nil when absent.
  public func intField(_ name: String) -> Int? {
    var value: Int32 = 0
    return hvips_get_int(handle, name, &value) == 0 ? Int(value) : nil
  }

  // MARK: Plumbing for the operations

  /// Runs a libvips call that makes one image from this one (and keeps its source bytes pinned).
  package func derive(
    _ operation: String, _ call: (Handle, inout Handle?) -> Int32
  ) throws(VipsError) -> VipsImage {
    var out: Handle?
    guard call(handle, &out) == 0, let out else { throw VipsError.fromBuffer(operation) }
    return VipsImage(taking: out, pinned: pinned)
  }
}
