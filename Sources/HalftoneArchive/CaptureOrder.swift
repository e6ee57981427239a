import Foundation

/// Which captures of one URL are tried, in order: the usable ones (200, `image/…`, no revisit),
/// with an article date the ones at or after it closest first, then the ones before it closest
/// first; without a date the newest first.
enum CaptureOrder {
  static func sorted(_ captures: [ArchiveCapture], published: Date?) -> [ArchiveCapture] {
    var seen = Set<String>()
    let usable = captures.filter { $0.isUsable && seen.insert($0.timestamp + $0.original).inserted }
    guard let published else {
      return usable.sorted { $0.timestamp > $1.timestamp }
    }
    let after = usable.filter { $0.capturedAt! >= published }.sorted { $0.timestamp < $1.timestamp }
    let before = usable.filter { $0.capturedAt! < published }.sorted { $0.timestamp > $1.timestamp }
    return after + before
  }
}
