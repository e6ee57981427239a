import Foundation
import HalftoneStore

/// A blob in a bucket: each read is one ranged GET (`Range: bytes=…`), so serving a range or
/// streaming a large blob never downloads more than asked.
final class S3BlobReader: BlobReader {
  let client: S3Client
  let key: String
  let size: Int
  /// Largest range one GET asks for: well under the endpoint's response limit (256 MiB), so a
  /// blob up to the store's 512 MiB is read whole in a few requests.
  let maxRangeBytes: Int
  var localPath: String? { nil }

  init(client: S3Client, key: String, size: Int, maxRangeBytes: Int = 32 << 20) {
    self.client = client
    self.key = key
    self.size = size
    self.maxRangeBytes = maxRangeBytes
  }

  func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
    guard offset < size, buffer.count > 0 else { return 0 }
    let last = min(size, offset + min(buffer.count, maxRangeBytes)) - 1
    guard let bytes = try client.get(key, range: offset...last) else {
      throw StoreError(
        kind: .storage,
        message: "blob \(client.describe(key)) vanished while it was being read")
    }
    let count = min(bytes.count, buffer.count)
    bytes.copyBytes(to: buffer.bindMemory(to: UInt8.self), count: count)
    return count
  }

  func close() {}
}
