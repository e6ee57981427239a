/// Where a fetch streams its body instead of memory (e.g. a cache's staging file), so that a
/// download holds a few buffers, not the whole image, however slow the origin.
///
/// Called on a writer queue of the fetch (a Dispatch thread, never the transfer thread, so it may
/// block on the disk), one call at a time and in order: `restart()` before every attempt (a
/// retried download starts over), then `write(_:)` with batches of a 2xx body as it arrives
/// (decoded, if the server compressed it; other statuses' bodies are not written). While the sink
/// lags `FetchPolicy.bodyBufferBytes` behind, its transfer pauses.
/// An error from either aborts the fetch, which then fails with the error's kind when it is a
/// `HalftoneError` (`storage` for a full disk), else `storage`, and is not retried.
public protocol FetchBodySink: AnyObject, Sendable {
  func restart() throws
  func write(_ bytes: UnsafeRawBufferPointer) throws
}
