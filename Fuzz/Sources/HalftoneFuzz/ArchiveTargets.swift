import Foundation

@testable import HalftoneArchive

/// The web archives' answers: a CDX JSON body, and the timestamps in it.
enum ArchiveTargets {
  static func cdx(_ data: Data) {
    if let captures = try? CDXReader.captures(data) {
      for capture in captures { _ = capture.isUsable }
    }
    let text = String(decoding: data.prefix(32), as: UTF8.self)
    if let date = ArchiveCapture.date(fromTimestamp: text) {
      invariant(date.timeIntervalSince1970.isFinite, "timestamp \(text) gave \(date)")
    }
  }
}
