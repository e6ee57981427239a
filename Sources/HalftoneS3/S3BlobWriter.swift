import Crypto
import Foundation
import HalftoneStore

#if canImport(Glibc)
  import Glibc
#endif

/// A streamed blob for a bucket: staged in a local file while it arrives (hashed on the way),
/// then uploaded on `commit()`: in one PUT, or from the file in parts above the backend's
/// multipart threshold (memory: one part). Nothing is visible in the bucket before the upload
/// completes; a failed multipart upload is aborted.
final class S3BlobWriter: BlobWriter, @unchecked Sendable {
  private let backend: S3BlobBackend
  private let path: String
  private let file: FileHandle
  private var hasher = SHA256()
  private(set) var byteCount = 0
  private var finished = false

  init(backend: S3BlobBackend) throws(StoreError) {
    self.backend = backend
    path = "\(backend.stagingPath)/s3-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let file = FileHandle(forUpdatingAtPath: path)
    else {
      throw StoreError.posix("create staging file", path: path, errno: errno)
    }
    self.file = file
  }

  deinit { abandon() }

  func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
    try check(adding: bytes.count)
    do { try file.write(contentsOf: Data(bytes)) } catch {
      throw StoreError(kind: .storage, message: "could not write \(path): \(error)", path: path)
    }
    hasher.update(bufferPointer: bytes)
    byteCount += bytes.count
  }

  func restart() throws(StoreError) {
    try check(adding: 0)
    do {
      try file.truncate(atOffset: 0)
      try file.seek(toOffset: 0)
    } catch {
      throw StoreError(kind: .storage, message: "could not truncate \(path): \(error)", path: path)
    }
    hasher = SHA256()
    byteCount = 0
  }

  func commit() throws(StoreError) -> HalftoneStore.Digest {
    try check(adding: 0)
    finished = true
    defer { removeStaging() }
    let digest = HalftoneStore.Digest(
      hex: hasher.finalize().map { String(format: "%02x", $0) }.joined())!
    if backend.recentlyStored(digest) != nil {
      return digest  // stored by this process moments ago: nothing to send (see `put`)
    } else if byteCount <= backend.multipartThreshold {
      let data: Data
      do {
        try file.seek(toOffset: 0)
        data = try file.readToEnd() ?? Data()
      } catch {
        throw StoreError(kind: .storage, message: "could not read \(path): \(error)", path: path)
      }
      _ = try backend.put(data, as: digest)
    } else {
      let created = try uploadInParts(digest)
      backend.noteStored(digest, bytes: byteCount, created: created)
    }
    return digest
  }

  /// Uploads the staging file in parts; `false` when the blob was in the bucket already.
  private func uploadInParts(_ digest: HalftoneStore.Digest) throws(StoreError) -> Bool {
    let client = backend.client
    let key = backend.blobKey(digest)
    if try client.head(key) != nil {
      try client.copy(key, to: key)  // present: refresh, as `put` does
      return false
    }
    let upload = try client.createMultipartUpload(key)
    do throws(StoreError) {
      var etags: [String] = []
      var offset = 0
      while offset < byteCount {
        let count = min(backend.partBytes, byteCount - offset)
        let part: Data
        do {
          try file.seek(toOffset: UInt64(offset))
          part = try file.read(upToCount: count) ?? Data()
        } catch {
          throw StoreError(kind: .storage, message: "could not read \(path): \(error)", path: path)
        }
        guard part.count == count else {
          throw StoreError(
            kind: .storage, message: "staging file \(path) shrank while uploading", path: path)
        }
        etags.append(
          try client.uploadPart(
            key, uploadID: upload, number: etags.count + 1, part,
            checksum: Array(SHA256.hash(data: part))))
        offset += count
      }
      if try !client.completeMultipartUpload(key, uploadID: upload, parts: etags, createOnly: true)
      {
        try client.abortMultipartUpload(key, uploadID: upload)
        try client.copy(key, to: key)
        return false
      }
      return true
    } catch {
      try? client.abortMultipartUpload(key, uploadID: upload)
      throw error
    }
  }

  func abandon() {
    guard !finished || FileManager.default.fileExists(atPath: path) else { return }
    finished = true
    removeStaging()
  }

  private func removeStaging() {
    try? file.close()
    unlink(path)
  }

  private func check(adding count: Int) throws(StoreError) {
    try BlobWriterChecks.accept(count, after: byteCount, limit: backend.maxBlobBytes, finished)
  }
}
