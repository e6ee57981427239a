import Foundation
import HalftoneStore
import XCTest

/// A fresh directory per test, removed afterwards.
class StoreTestCase: XCTestCase {
  var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("halftone-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    if let directory { try? FileManager.default.removeItem(at: directory) }
  }

  var cacheRoot: URL { directory.appendingPathComponent("Cache") }

  func openCache(_ configure: (inout CacheOptions) -> Void = { _ in }) throws -> Cache {
    var options = CacheOptions()
    configure(&options)
    return try Cache.open(root: cacheRoot, options: options)
  }

  /// The files under `Cache/tmp/`.
  func stagingFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: cacheRoot.appendingPathComponent("tmp").path)
  }

  /// Every blob file under `Cache/blobs/sha256/`.
  func blobFiles() throws -> [String] {
    let base = cacheRoot.appendingPathComponent("blobs/sha256").path
    var files: [String] = []
    for shard in try FileManager.default.contentsOfDirectory(atPath: base) {
      files += try FileManager.default.contentsOfDirectory(atPath: base + "/" + shard)
    }
    return files.sorted()
  }

  /// Sets a file's modification time.
  func setModified(_ url: URL, to date: Date) throws {
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
  }
}

/// Random bytes, fast even in debug builds.
func randomBytes(_ count: Int, using generator: inout some RandomNumberGenerator) -> Data {
  var data = Data(count: (count + 7) / 8 * 8)
  data.withUnsafeMutableBytes { raw in
    let words = raw.bindMemory(to: UInt64.self)
    for index in words.indices { words[index] = generator.next() }
  }
  return data.prefix(count)
}

func randomBytes(_ count: Int) -> Data {
  var generator = SystemRandomNumberGenerator()
  return randomBytes(count, using: &generator)
}

/// A deterministic generator (SplitMix64), so a child process can reproduce given content.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  init(_ start: Date) { current = start }

  var now: Date {
    lock.lock()
    defer { lock.unlock() }
    return current
  }

  func set(_ date: Date) {
    lock.lock()
    current = date
    lock.unlock()
  }

  func advance(_ seconds: TimeInterval) { set(now.addingTimeInterval(seconds)) }
}

/// Asserts that `body` throws a `StoreError` and returns it.
func expectStoreError<T>(
  _ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> StoreError? {
  do {
    _ = try body()
    XCTFail("expected a StoreError", file: file, line: line)
    return nil
  } catch let error as StoreError {
    return error
  } catch {
    XCTFail("expected a StoreError, got \(error)", file: file, line: line)
    return nil
  }
}
