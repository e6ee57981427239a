/// Runs one piece of work per key at a time: callers that ask for a key already in flight wait for
/// that work's result instead of starting their own (one fetch for many references to one master,
/// one thumbnail for many identical requests).
///
/// Entries live only while their work runs; callers check the durable index before coming here, so
/// nothing is remembered (and memory does not grow) once results are stored.
public actor SingleFlight<Key: Hashable & Sendable, Value: Sendable> {
  private var inFlight: [Key: Task<Result<Value, any Error>, Never>] = [:]

  public init() {}

  /// Returns the result of `work` for `key`, sharing a run already in flight.
  public func run(
    _ key: Key, _ work: @escaping @Sendable () async throws -> Value
  ) async throws -> Value {
    if let existing = inFlight[key] {
      return try await existing.value.get()
    }
    let task = Task { () -> Result<Value, any Error> in
      do { return .success(try await work()) } catch { return .failure(error) }
    }
    inFlight[key] = task
    let result = await task.value
    inFlight[key] = nil
    return try result.get()
  }
}
