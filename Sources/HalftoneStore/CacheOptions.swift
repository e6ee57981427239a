import Foundation

/// How a `Cache` behaves. The defaults suit both the CLI and the server.
public struct CacheOptions: Sendable {
  /// Re-hash a blob every time `readBlob` returns it; a mismatch quarantines the blob and reads
  /// as a miss. Costs one SHA-256 pass per read.
  public var verifyOnRead: Bool = false
  /// fsync blobs and directories. Turn off only for throwaway caches.
  public var durable: Bool = true
  /// How long a write to the index waits for another process's write before failing.
  public var busyTimeout: TimeInterval = 30
  /// Largest blob accepted or read back.
  public var maxBlobBytes: Int = 512 << 20
  /// Blobs and staging files younger than this are never removed by `gc` or `verify(repair:)`:
  /// they may belong to a writer in another process that has not recorded its index row yet.
  public var grace: TimeInterval = 10 * 60
  /// `touch` writes a blob's access time at most this often per process (like relatime), so a
  /// busy server does not turn every hit into a write transaction.
  public var accessResolution: TimeInterval = 60
  /// Longest URL the index accepts, in UTF-8 bytes.
  public var maxURLBytes: Int = 8192
  /// Longest error message stored for a failed fetch (longer ones are truncated).
  public var maxErrorMessageBytes: Int = 2048
  /// The current time; tests replace it to age entries without waiting.
  public var clock: @Sendable () -> Date = { Date() }
  /// Where blobs live; `nil` means a `FileBlobBackend` in the cache root.
  public var backend: (any BlobBackend)?
  /// Where references are shared with other machines; `nil`: only in the local index.
  public var references: (any ReferenceBackend)?
  /// The write/fsync calls of the default `FileBlobBackend` (fault injection in tests).
  public var fileIO: FileIO = .posix

  public init() {}
}
