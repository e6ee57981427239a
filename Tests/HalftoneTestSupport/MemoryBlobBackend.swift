import Foundation
import HalftoneCore
import HalftoneStore

/// A `BlobBackend` with no files at all: blobs in a dictionary. It proves that the cache, the
/// server and the maintenance commands use only the protocol (an object store has no files
/// either), and lets a test damage or age a blob in place.
public final class MemoryBlobBackend: BlobBackend {
  private struct Stored {
    var data: Data
    var modified: Date
  }

  private let blobs = Locked<[Digest: Stored]>([:])
  private let kept = Locked<[Digest: Data]>([:])
  /// Every `open` the backend answered with a blob.
  public let opens = Locked(0)

  public init() {}

  public func put(_ data: Data, as digest: Digest) throws(StoreError) -> PutOutcome {
    blobs.withLock { blobs in
      if blobs[digest]?.data.count == data.count {
        blobs[digest]?.modified = Date()
        return .alreadyPresent
      }
      blobs[digest] = Stored(data: data, modified: Date())
      return .stored
    }
  }

  public func open(_ digest: Digest) throws(StoreError) -> (any BlobReader)? {
    guard let data = blobs.withLock({ $0[digest]?.data }) else { return nil }
    opens.withLock { $0 += 1 }
    return MemoryBlobReader(data: data)
  }

  public func info(_ digest: Digest) throws(StoreError) -> BlobEntry? {
    blobs.withLock { blobs in
      blobs[digest].map { BlobEntry(digest: digest, bytes: $0.data.count, modified: $0.modified) }
    }
  }

  public func enumerate() throws(StoreError) -> [BlobEntry] {
    blobs.withLock { blobs in
      blobs.map {
        BlobEntry(digest: $0.key, bytes: $0.value.data.count, modified: $0.value.modified)
      }
    }
  }

  public func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) throws(StoreError) -> Bool {
    blobs.withLock { blobs in
      guard let stored = blobs[digest], stored.modified <= cutoff else { return false }
      blobs[digest] = nil
      return true
    }
  }

  public func quarantine(_ digest: Digest) throws(StoreError) -> Bool {
    guard let stored = blobs.withLock({ $0.removeValue(forKey: digest) }) else { return false }
    kept.withLock { $0[digest] = stored.data }
    return true
  }

  public func quarantined() throws(StoreError) -> ByteTally {
    kept.withLock { kept in
      var tally = ByteTally()
      for data in kept.values { tally.add(data.count) }
      return tally
    }
  }

  /// Replaces a blob's bytes without changing its name (damage, as a bad disk would do it).
  public func damage(_ digest: Digest, with data: Data) {
    blobs.withLock { $0[digest]?.data = data }
  }

  /// Sets a blob's modification time (to age it past a grace period).
  public func setModified(_ digest: Digest, to date: Date) {
    blobs.withLock { $0[digest]?.modified = date }
  }
}

/// The bytes of one blob, read at any offset.
struct MemoryBlobReader: BlobReader {
  let data: Data
  var size: Int { data.count }
  var localPath: String? { nil }

  func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
    guard offset < data.count else { return 0 }
    let count = min(buffer.count, data.count - offset)
    data.withUnsafeBytes { raw in
      buffer.baseAddress?.copyMemory(from: raw.baseAddress! + offset, byteCount: count)
    }
    return count
  }

  func close() {}
}
