import Foundation
import HalftoneRecords
import XCTest

/// The stream does not hold the input: a JSON Lines file much larger than the memory bound is read
/// while the process's resident set stays well under the file's size.
final class StreamingMemoryTests: XCTestCase {
  private static let recordCount = 200_000
  /// Whether this process runs under AddressSanitizer (its runtime is linked in).
  private static let underAddressSanitizer = dlsym(nil, "__asan_init") != nil

  func testLargeJSONLinesFileStreamsInBoundedMemory() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("big.jsonl")
    let fileBytes = try writeRecords(to: path)
    // A stream that loaded the file (or kept its records) would grow by more than the file.
    let bound = 64 << 20
    XCTAssertGreaterThan(
      fileBytes, bound, "the file must be bigger than the bound to prove anything")

    let residentBefore = try Self.memoryStatus("VmRSS")
    let peakResetWorked = Self.resetPeakResidentSize()
    var peakResident = residentBefore
    var references = 0
    var problems = 0
    var lastLine = 0
    for item in RecordStream(paths: [path]) {
      switch item {
      case .reference(let reference):
        references += 1
        lastLine = reference.location.line
      case .problem: problems += 1
      }
      if references % 5_000 == 0 {
        peakResident = max(peakResident, try Self.memoryStatus("VmRSS"))
      }
    }

    let peakHighWater = peakResetWorked ? try Self.memoryStatus("VmHWM") : peakResident
    print(
      "streamed \(fileBytes >> 20) MiB of JSON Lines; resident set grew by at most "
        + "\((max(peakResident, peakHighWater) - residentBefore) >> 20) MiB")

    XCTAssertEqual(references, Self.recordCount)
    XCTAssertEqual(problems, 0)
    XCTAssertEqual(lastLine, Self.recordCount)
    // AddressSanitizer keeps freed memory in quarantine (256 MiB by default): the resident set
    // then says nothing about what the stream holds (`scripts/sanitize address`).
    guard !Self.underAddressSanitizer else { return }
    XCTAssertLessThan(peakResident - residentBefore, bound, "sampled resident set grew too much")
    if peakResetWorked {
      // The kernel's own high-water mark, reset just before the stream started.
      XCTAssertLessThan(peakHighWater - residentBefore, bound)
    }
  }

  /// Writes the records in batches (so the test itself stays small) and returns the file size.
  private func writeRecords(to path: String) throws -> Int {
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
    defer { try? handle.close() }
    let excerpt = String(repeating: "Lorem ipsum dolor sit amet. ", count: 8)
    var written = 0
    var batch = ""
    for index in 1...Self.recordCount {
      batch +=
        #"{"title":"Article \#(index)","sourceUrl":"https://news.example/\#(index)","#
        + #""excerpt":"\#(excerpt)","images":[{"url":"http://127.0.0.1:9/\#(index).jpg","#
        + #""width":640,"height":"480","title":"Image \#(index)"}]}"# + "\n"
      if index % 2_000 == 0 {
        let data = Data(batch.utf8)
        try handle.write(contentsOf: data)
        written += data.count
        batch = ""
      }
    }
    return written
  }

  /// A `/proc/self/status` field in bytes (the kernel reports kB).
  private static func memoryStatus(_ field: String) throws -> Int {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix(field + ":") })
    let kilobytes = try XCTUnwrap(Int(line.split(separator: " ").dropFirst().first ?? ""))
    return kilobytes * 1024
  }

  /// Resets VmHWM to the current resident size (Linux: write 5 to clear_refs); false if refused.
  private static func resetPeakResidentSize() -> Bool {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
    defer { try? handle.close() }
    return (try? handle.write(contentsOf: Data("5".utf8))) != nil
  }
}
