import Foundation
import GRDB

extension Cache {
  /// `gc` of a shared store: its reference documents are the reference set (every machine's
  /// local index is only a cache of them), and no machine can enforce a size limit on it.
  ///
  /// With `maxAge`, original documents not written for longer than that go first, and thumbnail
  /// documents older than that or (past the grace period) whose original no remaining document
  /// names, and failure
  /// documents older than that or of a URL that has an original now; then every blob no
  /// remaining document names, and multipart uploads left behind, once older than the grace
  /// period. A writer on another machine stores (or, for a blob already present, refreshes) the
  /// blob before it writes the document naming it, so a blob it is about to name is younger than
  /// the grace period and stays. Local rows naming a removed blob or document are dropped.
  func sharedGC(
    references: any ReferenceBackend, maxAge: TimeInterval?, grace: TimeInterval
  ) throws(StoreError) -> GCReport {
    let time = now
    let cutoff = time.addingTimeInterval(-grace)
    var report = GCReport()
    report.maxAge = maxAge
    var originals: [SharedReferenceEntry] = []
    var thumbnails: [SharedReferenceEntry] = []
    var failures: [SharedReferenceEntry] = []
    for entry in try references.enumerate() {
      switch entry.content {
      case .original: originals.append(entry)
      case .thumbnail: thumbnails.append(entry)
      case .failure: failures.append(entry)
      case .invalid: continue  // names nothing; `verify` reports it
      }
    }
    // Which role each expired document's blob had, to count removals by role.
    var expiredRoles: [Digest: BlobRole] = [:]
    let oldest = maxAge.map { time.addingTimeInterval(-$0) }
    var failure: StoreError?
    originals.removeAll { entry in
      guard let oldest, entry.modified < oldest, case .original(let reference) = entry.content,
        failure == nil
      else { return false }
      do throws(StoreError) {
        try references.remove(entry)
        try dropOriginalRow(url: reference.url, original: reference.original)
      } catch {
        failure = error
        return false
      }
      expiredRoles[reference.original] = .original
      report.removedSharedReferences += 1
      return true
    }
    if let failure { throw failure }
    // A failure goes with age, or once the URL has an original again (its document says more).
    let succeeded = Set(
      originals.compactMap { entry -> String? in
        guard case .original(let reference) = entry.content else { return nil }
        return reference.url
      })
    for entry in failures {
      guard case .failure(let reference) = entry.content else { continue }
      let expired = oldest.map { entry.modified < $0 } ?? false
      guard expired || succeeded.contains(reference.url) else { continue }
      try references.remove(entry)
      report.removedSharedReferences += 1
    }
    var named: Set<Digest> = []
    for entry in originals { if let target = entry.target { named.insert(target) } }
    let namedOriginals = named
    thumbnails.removeAll { entry in
      guard case .thumbnail(let reference) = entry.content else { return false }
      let expired = oldest.map { entry.modified < $0 } ?? false
      // An orphan only once past the grace period: the listing may have passed `originals/`
      // before another machine wrote the original's document, then listed its thumbnail's.
      let orphan = !namedOriginals.contains(reference.original) && entry.modified <= cutoff
      guard expired || orphan, failure == nil else { return false }
      do throws(StoreError) {
        try references.remove(entry)
        try dropThumbnailRow(original: reference.original, specKey: reference.specKey)
      } catch {
        failure = error
        return false
      }
      expiredRoles[reference.thumbnail] = expiredRoles[reference.thumbnail] ?? .thumbnail
      report.removedSharedReferences += 1
      return true
    }
    if let failure { throw failure }
    for entry in thumbnails {
      guard case .thumbnail(let reference) = entry.content else { continue }
      named.insert(reference.thumbnail)
      named.insert(reference.original)
    }

    for entry in try backend.enumerate() {
      report.bytesBefore += entry.bytes
      guard !named.contains(entry.digest) else {
        report.bytesAfter += entry.bytes
        continue
      }
      guard entry.modified <= cutoff,
        try backend.remove(entry.digest, ifUnmodifiedSince: cutoff)
      else {
        report.protectedByGrace.add(entry.bytes)
        report.bytesAfter += entry.bytes
        continue
      }
      switch expiredRoles[entry.digest] {
      case .original: report.removedOriginals.add(entry.bytes)
      case .thumbnail: report.removedThumbnails.add(entry.bytes)
      case .unreferenced, nil: report.removedUnreferenced.add(entry.bytes)
      }
      try dropRows(naming: entry.digest, report: &report)
    }
    for leftover in try backend.leftovers() where leftover.modified <= cutoff {
      try backend.removeLeftover(leftover)
      report.removedStaging.add(leftover.bytes)
    }
    return report
  }

  private func dropOriginalRow(url: String, original: Digest) throws(StoreError) {
    try index.write { db in
      try db.execute(
        sql: "DELETE FROM originals WHERE url = ? AND original = ?",
        arguments: [url, original.hex])
    }
  }

  private func dropThumbnailRow(original: Digest, specKey: String) throws(StoreError) {
    try index.write { db in
      try db.execute(
        sql: "DELETE FROM thumbnails WHERE original = ? AND spec_key = ?",
        arguments: [original.hex, specKey])
    }
  }

  /// Drops the local rows naming a blob removed from the shared store.
  private func dropRows(naming digest: Digest, report: inout GCReport) throws(StoreError) {
    let dropped = try index.write { db -> (Int, Int) in
      try db.execute(sql: "DELETE FROM originals WHERE original = ?", arguments: [digest.hex])
      let originalRows = db.changesCount
      try db.execute(
        sql: "DELETE FROM thumbnails WHERE thumbnail = ?1 OR original = ?1",
        arguments: [digest.hex])
      let thumbnailRows = db.changesCount
      try db.execute(sql: "DELETE FROM access WHERE digest = ?", arguments: [digest.hex])
      return (originalRows, thumbnailRows)
    }
    report.removedOriginalRows += dropped.0
    report.removedThumbnailRows += dropped.1
  }
}
