import Foundation
// Plans and source descriptions are HalftoneSpec types: callers of the thumbnailer need them.
@_exported import HalftoneSpec

/// Probes and thumbnails encoded images with libvips.
///
/// Safe to use from many threads at once: every call builds its own pipeline, libvips runs with no
/// operation cache and one worker thread per pipeline, and parallelism comes from the callers.
public struct Thumbnailer: Sendable {
  /// The largest source (stored width × height) that will be decoded; checked from the header,
  /// before any pixel is decoded, so pixel bombs cost nothing.
  public var maxPixels: Int
  /// Source formats accepted; others are refused as `unsupported_format` (TIFF and HEIF parsers
  /// are large attack surfaces a deployment may want to turn off).
  public var allowedFormats: Set<ImageFormat>
  /// The largest progressive JPEG or interlaced PNG. Those cannot be streamed: libjpeg keeps every
  /// DCT coefficient of a progressive file (about 3–6 bytes a pixel, whatever the shrink-on-load)
  /// and libvips decodes an interlaced PNG whole, so they get a lower bound than `maxPixels`.
  public var maxInterlacedPixels: Int
  /// The largest output side (WebP cannot encode more than 16383 pixels).
  public static let maxOutputSide = 16_383

  public init(
    maxPixels: Int = 100_000_000, maxInterlacedPixels: Int = 40_000_000,
    allowedFormats: Set<ImageFormat> = Set(ImageFormat.allCases)
  ) {
    self.maxPixels = maxPixels
    self.maxInterlacedPixels = maxInterlacedPixels
    self.allowedFormats = allowedFormats
  }

  /// Reads the header only: format (from magic bytes), display-oriented size, alpha. Refuses
  /// sources larger than `maxPixels` without decoding them.
  public func probe(_ bytes: Data) throws(ImagingError) -> ImageProbe {
    try PinnedBytes.borrowing(bytes) { pinned throws(ImagingError) in
      try open(bytes, pinned: pinned).info
    }
  }

  /// Renders a plan. The plan's region is in display orientation (EXIF orientation applied, or the
  /// plan's fixed orientation).
  public func render(_ bytes: Data, plan: ThumbnailPlan) throws(ImagingError) -> Thumbnail {
    try PinnedBytes.borrowing(bytes) { pinned throws(ImagingError) in
      try ThumbnailPipeline(source: open(bytes, pinned: pinned), plan: plan).run()
    }
  }

  /// Probes, asks `planner` for a plan from what the probe found (e.g. a ThumbnailSpec's
  /// `plan(for:)`), and renders it, reading the header once.
  ///
  /// `bytes` are read in place, not copied, and nothing made from them outlives the call: a
  /// caller may pass bytes it reuses afterwards (`Data(bytesNoCopy:…, deallocator: .none)`).
  public func thumbnail<PlanError: HalftoneError>(
    _ bytes: Data, planner: (ImageProbe) throws(PlanError) -> ThumbnailPlan
  ) throws(ThumbnailError<PlanError>) -> Thumbnail {
    try PinnedBytes.borrowing(bytes) { pinned throws(ThumbnailError<PlanError>) in
      let source: OpenedSource
      do throws(ImagingError) { source = try open(bytes, pinned: pinned) } catch {
        throw .imaging(error)
      }
      let plan: ThumbnailPlan
      do throws(PlanError) { plan = try planner(source.info) } catch { throw .plan(error) }
      do throws(ImagingError) {
        return try ThumbnailPipeline(source: source, plan: plan).run()
      } catch {
        throw .imaging(error)
      }
    }
  }

  /// Sniffs, checks the loader and reads the header. `pinned` holds the same bytes as `bytes`.
  func open(_ bytes: Data, pinned: PinnedBytes) throws(ImagingError) -> OpenedSource {
    guard !bytes.isEmpty else { throw .notAnImage("the body is empty (0 bytes)") }
    guard let format = ImageFormat.sniff(bytes) else {
      throw .notAnImage(
        "\(bytes.count) bytes starting with \(Self.describeStart(of: bytes)) are not a JPEG, PNG, "
          + "WebP, GIF, TIFF, HEIF or AVIF image")
    }
    guard allowedFormats.contains(format) else {
      let allowed = allowedFormats.map(\.rawValue).sorted().joined(separator: ", ")
      throw .unsupported("\(format.rawValue) sources are not accepted here (allowed: \(allowed))")
    }
    do { try VipsRuntime.ensureStarted() } catch {
      throw .imaging("libvips failed to start: \(error.message)")
    }
    // The magic bytes alone do not prove which loader libvips picks; insist on the one they name.
    // (find_load_buffer ignores the untrusted block: it names the SVG loader for SVG bytes, and the
    // block only bites when the load runs.)
    let loader = VipsImage.loaderName(for: pinned)
    guard let loader, Self.loader(loader, reads: format) else {
      let found =
        loader.map { "libvips would open them with \($0)" } ?? "no libvips loader accepts them"
      // The format's own loader exists but does not recognise the bytes: they are damaged (a
      // TIFF cut short fails the TIFF loader's check, for one).
      if (try? VipsImage.hasOperation(Self.loaderNickname(for: format))) == true {
        throw .corrupt(
          "the bytes start like \(format.rawValue) but its loader does not recognise them "
            + "(damaged or truncated); \(found)")
      }
      throw .unsupported(
        "the bytes look like \(format.rawValue) but this libvips cannot load it; \(found)")
    }
    let header: VipsImage
    do { header = try VipsImage(pinned: pinned, options: "fail_on=error") } catch {
      throw .corrupt("cannot read the \(format.rawValue) header: \(error.message)")
    }
    let (storedWidth, storedHeight) = (header.width, header.height)
    let pixels = storedWidth.multipliedReportingOverflow(by: storedHeight)
    guard !pixels.overflow, pixels.partialValue <= maxPixels else {
      throw .tooManyPixels(
        "the \(format.rawValue) header says \(storedWidth)x\(storedHeight) "
          + "(\(pixels.partialValue) pixels), over the limit of \(maxPixels) pixels; "
          + "it was not decoded")
    }
    // libvips sets "interlaced" for progressive JPEGs and Adam7 PNGs.
    if (header.intField("interlaced") ?? 0) != 0, pixels.partialValue > maxInterlacedPixels {
      throw .tooManyPixels(
        "the \(format.rawValue) header says \(storedWidth)x\(storedHeight) "
          + "(\(pixels.partialValue) pixels) and "
          + (format == .jpeg ? "progressive" : "interlaced")
          + ": such files decode whole in memory, limit \(maxInterlacedPixels) pixels; "
          + "it was not decoded"
      )
    }
    let orientation = ExifOrientation(header.orientation) ?? ExifOrientation(1)!
    let display = orientation.displaySize(storedWidth: storedWidth, storedHeight: storedHeight)
    return OpenedSource(
      bytes: pinned, format: format, storedWidth: storedWidth, storedHeight: storedHeight,
      orientation: orientation,
      info: ImageProbe(
        width: display.width, height: display.height, format: format, hasAlpha: header.hasAlpha))
  }

  /// The libvips loader for `format`, by nickname.
  static func loaderNickname(for format: ImageFormat) -> String {
    switch format {
    case .jpeg: "jpegload_buffer"
    case .png: "pngload_buffer"
    case .webp: "webpload_buffer"
    case .gif: "gifload_buffer"
    case .tiff: "tiffload_buffer"
    case .heif, .avif: "heifload_buffer"
    }
  }

  /// Whether a libvips loader (nickname or class name) is the one for `format`.
  static func loader(_ name: String, reads format: ImageFormat) -> Bool {
    let name = name.lowercased()
    switch format {
    case .jpeg: return name.contains("jpeg")
    case .png: return name.contains("png")
    case .webp: return name.contains("webp")
    case .gif: return name.contains("gif")
    case .tiff: return name.contains("tiff")
    case .heif, .avif: return name.contains("heif")
    }
  }

  /// A short, safe description of the first bytes, for "not an image" messages: hex, plus the
  /// leading text when there is some ("%PDF-1.7", "<!DOCTYPE html>"…).
  static func describeStart(of bytes: Data) -> String {
    let hex = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
    let isText: (UInt8) -> Bool = { (0x20..<0x7F).contains($0) || [0x09, 0x0A, 0x0D].contains($0) }
    let text = String(decoding: bytes.prefix(24).prefix(while: isText), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
      .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: "")
    guard text.count >= 4 else { return hex }
    let html = text.hasPrefix("<") ? ", text that looks like HTML/XML" : ""
    return "\(hex) (\"\(text)\"\(html))"
  }
}

/// A source whose header has been read and checked.
struct OpenedSource {
  let bytes: PinnedBytes
  let format: ImageFormat
  let storedWidth: Int
  let storedHeight: Int
  /// From the header's EXIF tag (1 when absent).
  let orientation: ExifOrientation
  let info: ImageProbe
}

/// A failure of `Thumbnailer.thumbnail(_:planner:)`: either the planner's or the imaging's.
public enum ThumbnailError<PlanError: HalftoneError>: HalftoneError {
  case plan(PlanError)
  case imaging(ImagingError)

  public var kind: ErrorKind {
    switch self {
    case .plan(let error): error.kind
    case .imaging(let error): error.kind
    }
  }

  public var message: String {
    switch self {
    case .plan(let error): error.message
    case .imaging(let error): error.message
    }
  }
}
