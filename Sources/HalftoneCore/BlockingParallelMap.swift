import Foundation

/// Runs blocking `work` on each item on up to `threads` threads of its own (never the cooperative
/// pool, whose few threads must not wait on I/O) and returns the results in the items' order.
///
/// For maintenance passes that wait on many small network requests (reading every shared
/// reference document): the requests overlap instead of queueing one after another.
public func blockingParallelMap<Item: Sendable, Output: Sendable>(
  _ items: [Item], threads: Int, _ work: @escaping @Sendable (Item) -> Output
) -> [Output] {
  guard items.count > 1, threads > 1 else { return items.map(work) }
  let results = Locked([Output?](repeating: nil, count: items.count))
  let next = Locked(0)
  let done = DispatchGroup()
  for _ in 0..<min(threads, items.count) {
    done.enter()
    Thread.detachNewThread {
      while true {
        let index = next.withLock { value -> Int in
          defer { value += 1 }
          return value
        }
        guard index < items.count else { break }
        let output = work(items[index])
        results.withLock { $0[index] = output }
      }
      done.leave()
    }
  }
  done.wait()
  return results.withLock { outputs in outputs.map { $0! } }
}
