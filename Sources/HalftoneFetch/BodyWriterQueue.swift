import Dispatch
import HalftoneCore

/// Carries one attempt's streamed body from the curl thread to its `FetchBodySink` on a writer
/// queue, so that a slow or stalled disk (and the hashing the sink does) holds up only its own
/// transfer, never the multi loop that moves every other one.
///
/// The curl thread `offer`s each piece; it is copied into a buffer of at most `capacity` bytes
/// (one piece more when the buffer is empty, so any piece fits). When the buffer is full the
/// offer says `.full` and the transfer pauses (`CURL_WRITEFUNC_PAUSE`: libcurl keeps the piece
/// and offers it again later); once the writer has emptied the buffer it calls `resume`, which
/// asks the multi thread to unpause. Pieces reach the sink in order, one write at a time.
final class BodyWriterQueue: Sendable {
  enum Offer {
    /// Taken: count it as received.
    case accepted
    /// The buffer is full: pause the transfer; `resume` is called when there is room.
    case full
    /// The sink failed (see `close`): abort the transfer.
    case failed
  }

  private struct State {
    var pending: [UInt8] = []
    /// The buffer the writer last emptied, reused for the next batch.
    var spare: [UInt8] = []
    var writing = false
    var paused = false
    var closed = false
    var discarding = false
    var error: (any Error)?
    var whenIdle: (@Sendable ((any Error)?) -> Void)?
  }

  private let sink: any FetchBodySink
  private let capacity: Int
  private let queue: DispatchQueue
  private let resume: @Sendable () -> Void
  private let state = Locked(State())

  /// Writers of all transfers share this pool of Dispatch threads (each queue is serial).
  private static let writers = DispatchQueue(
    label: "halftone.body-writers", qos: .utility, attributes: .concurrent)

  /// A queue in front of `sink`, which it restarts first (a retried download starts over).
  /// `resume` is called on the writer queue when a paused transfer may go on.
  init(sink: any FetchBodySink, capacity: Int, resume: @escaping @Sendable () -> Void) {
    self.sink = sink
    self.capacity = max(1, capacity)
    self.resume = resume
    queue = DispatchQueue(label: "halftone.body-writer", target: Self.writers)
    state.withLock { $0.writing = true }
    queue.async { [self] in
      do { try sink.restart() } catch { state.withLock { $0.error = error } }
      drain()
    }
  }

  /// Called on the curl thread with each piece of the body, in order.
  func offer(_ bytes: UnsafeRawBufferPointer) -> Offer {
    let (offer, start) = state.withLock { state -> (Offer, Bool) in
      if state.error != nil || state.closed { return (.failed, false) }
      if !state.pending.isEmpty, state.pending.count + bytes.count > capacity {
        state.paused = true
        return (.full, false)
      }
      state.pending.append(contentsOf: bytes)
      defer { state.writing = true }
      return (.accepted, !state.writing)
    }
    if start { queue.async { [self] in drain() } }
    return offer
  }

  /// Accepts no more pieces and calls `then` (on the writer queue, or at once) when the sink has
  /// taken every accepted piece, with the sink's error if it failed. `discarding` drops what is
  /// not written yet (the attempt failed: its body is of no use) but still waits for the write in
  /// progress, so the caller may abandon the sink as soon as `then` runs.
  func close(discarding: Bool, then: @escaping @Sendable ((any Error)?) -> Void) {
    let idle = state.withLock { state -> (any Error)?? in
      state.closed = true
      if discarding {
        state.discarding = true
        state.pending.removeAll()
      }
      guard state.writing else { return .some(state.error) }
      state.whenIdle = then
      return .none
    }
    if let idle { then(idle) }
  }

  /// Takes the queue's lock once. Called by the fetch after `close`'s `then` resumed it: the
  /// writer queue's last access to the sink is ordered before this by the same lock, so what the
  /// caller does with the sink next (commit, abandon, read its digest) is ordered after every
  /// write. The continuation that `then` resumes orders them already, but ThreadSanitizer cannot
  /// see that hand-off, and reported every such access as a race (`scripts/sanitize thread`).
  func settle() {
    state.withLock { _ in }
  }

  /// Writes batches until the buffer is empty (writer queue only). Taking a batch frees the
  /// buffer, so a paused transfer resumes then and refills it while the batch is written: at most
  /// two buffers' worth of a body are in memory.
  private func drain() {
    while let (batch, wasPaused) = nextBatch() {
      if wasPaused { resume() }
      var written = batch
      do {
        try written.withUnsafeBytes { try sink.write($0) }
      } catch {
        state.withLock { $0.error = error }
      }
      written.removeAll(keepingCapacity: true)
      state.withLock { $0.spare = written }
    }
    let (wasPaused, finished, error) = state.withLock {
      state -> (Bool, (@Sendable ((any Error)?) -> Void)?, (any Error)?) in
      defer {
        state.paused = false
        state.whenIdle = nil
      }
      return (state.paused, state.whenIdle, state.error)
    }
    // After an error a paused transfer must go on to learn of it at its next offer.
    if wasPaused { resume() }
    finished?(error)
  }

  /// The buffered pieces (swapped for the spare buffer), or nil when the writer should stop.
  private func nextBatch() -> ([UInt8], Bool)? {
    state.withLock { state in
      guard !state.pending.isEmpty, state.error == nil, !state.discarding else {
        state.writing = false
        if state.error != nil || state.discarding { state.pending = [] }
        return nil
      }
      var batch = state.spare
      swap(&batch, &state.pending)
      defer { state.paused = false }
      return (batch, state.paused)
    }
  }
}
