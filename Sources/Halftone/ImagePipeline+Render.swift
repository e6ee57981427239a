import Foundation
import HalftoneCore
import HalftoneImaging
import HalftoneSpec
import HalftoneStore

extension ImagePipeline {
  /// Renders `spec` from `original` on a render thread and stores the thumbnail.
  func render(_ original: StoredOriginal, spec: ThumbnailSpec, key: String) async throws
    -> ThumbnailRecord
  {
    let (cache, thumbnailer, readBuffers) = (self.cache, self.thumbnailer, self.readBuffers)
    let thumbnail: Thumbnail
    do {
      thumbnail = try await renders.runBlocking {
        try readBuffers.withBuffer { buffer in
          try original.read(from: cache, into: buffer)
          return try buffer.withContents { bytes in
            try Self.render(bytes, spec: spec, asWritten: original.asWritten, with: thumbnailer)
          }
        }
      }
    } catch let error as any HalftoneError where error.kind == .corruptImage {
      // Remembered in the index so the next run fetches this original again; and if the stored
      // copy is what is damaged (not what the origin sends), it goes to quarantine, or the next
      // fetch's identical bytes would find its name taken and reuse it.
      try? await runStore {
        _ = try cache.quarantineIfCorrupt(original.digest)
        try cache.recordFailure(url: original.url, kind: error.kind, message: error.message)
      }
      throw error
    }
    // Nobody waits for it any more (every caller left): not stored.
    try Task.checkCancellation()
    return try await runStore {
      let digest = try cache.putBlob(thumbnail.bytes)
      try cache.recordThumbnail(
        original: original.digest, specKey: key, thumbnail: digest, width: thumbnail.width,
        height: thumbnail.height, format: ImageFormat(thumbnail.format),
        bytes: thumbnail.bytes.count)
      guard let stored = try cache.thumbnail(original: original.digest, specKey: key) else {
        throw PipelineError(
          kind: .storage, message: "thumbnail \(digest.hex) vanished right after it was stored")
      }
      return stored
    }
  }

  /// Decodes, plans and encodes on the calling thread (a render worker).
  static func render(
    _ bytes: Data, spec: ThumbnailSpec, asWritten: Bool, with thumbnailer: Thumbnailer
  ) throws -> Thumbnail {
    try thumbnailer.thumbnail(bytes) { source throws(SpecError) in
      try plan(spec, source: source, asWritten: asWritten)
    }
  }

  /// The plan for `source`. An image fetched as written from a CDN that already has the output
  /// size was transformed by the CDN: it is re-encoded, not cropped again. Otherwise the origin
  /// ignored the query and served the master, so the spec applies as usual.
  static func plan(_ spec: ThumbnailSpec, source: ImageProbe, asWritten: Bool) throws(SpecError)
    -> ThumbnailPlan
  {
    if asWritten, spec.dialect != .none, spec.isAlreadyTransformed(source) {
      return try spec.passthroughPlan(for: source)
    }
    return try spec.plan(for: source)
  }
}

extension ImageFormat {
  init(_ output: OutputFormat) {
    switch output {
    case .jpeg: self = .jpeg
    case .png: self = .png
    case .webp: self = .webp
    case .avif: self = .avif
    }
  }
}
