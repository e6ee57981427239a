import Foundation
import HalftoneCore

/// A byte buffer that reads reuse, so a loop of reads (a render worker reading one original after
/// another) does not allocate for each: a fresh multi-megabyte allocation is a new mapping whose
/// every 4 KiB page the kernel zeroes on first touch, which costs more than the read itself.
///
/// Grows to the largest read seen but gives back more than `retainedCapacity` after each use
/// (`finishUse()`), so one huge original does not stay resident. One user at a time: hand it
/// between threads only with the synchronisation of a pool (`ReusableBufferPool`).
public final class ReusableBuffer: @unchecked Sendable {
  /// Capacity kept between uses; a larger buffer is released when a use finishes.
  public let retainedCapacity: Int
  /// Bytes of the last read.
  public private(set) var count = 0
  private var storage: UnsafeMutableRawPointer?
  private var capacity = 0
  /// Memory held now, between uses too.
  public var retainedBytes: Int { capacity }

  public init(retainedCapacity: Int = 16 << 20) {
    self.retainedCapacity = retainedCapacity
  }

  deinit { storage?.deallocate() }

  /// Room for at least `needed` bytes, contents undefined; `count` becomes 0. For a backend's
  /// `read(_:into:)`: reserve, fill, then `setCount`.
  public func reserve(_ needed: Int) -> UnsafeMutableRawPointer {
    count = 0
    if let storage, capacity >= needed { return storage }
    storage?.deallocate()
    // Whole MiBs while within the retained size, so originals that each are a little larger than
    // the last do not each cost a new allocation.
    let rounded = (max(needed, 1) + Self.growthStep - 1) / Self.growthStep * Self.growthStep
    let grown = rounded <= retainedCapacity ? rounded : needed
    storage = .allocate(byteCount: grown, alignment: 16)
    capacity = grown
    return storage!
  }

  private static let growthStep = 1 << 20

  /// Marks the first `count` bytes as the buffer's contents.
  public func setCount(_ count: Int) {
    precondition(count <= capacity, "count \(count) over capacity \(capacity)")
    self.count = count
  }

  /// The contents as `Data` without copying. The `Data` is valid only inside `body`: it must not
  /// be stored or returned (its bytes are overwritten by the next read).
  public func withContents<T, Failure: Error>(
    _ body: (Data) throws(Failure) -> T
  ) throws(Failure) -> T {
    guard let storage, count > 0 else { return try body(Data()) }
    return try body(Data(bytesNoCopy: storage, count: count, deallocator: .none))
  }

  /// Ends a use: drops the contents, and the memory too when it grew past `retainedCapacity`.
  public func finishUse() {
    count = 0
    if capacity > retainedCapacity {
      storage?.deallocate()
      storage = nil
      capacity = 0
    }
  }
}

/// Buffers handed out one per concurrent user (e.g. one per render slot) and taken back after.
public final class ReusableBufferPool: Sendable {
  private let free = Locked<[ReusableBuffer]>([])
  private let retainedCapacity: Int

  public init(retainedCapacity: Int = 16 << 20) {
    self.retainedCapacity = retainedCapacity
  }

  /// Runs `body` with a buffer no one else uses meanwhile.
  public func withBuffer<T, Failure: Error>(
    _ body: (ReusableBuffer) throws(Failure) -> T
  ) throws(Failure) -> T {
    let buffer =
      free.withLock { $0.popLast() } ?? ReusableBuffer(retainedCapacity: retainedCapacity)
    defer {
      buffer.finishUse()
      free.withLock { $0.append(buffer) }
    }
    return try body(buffer)
  }
}
