import Foundation
import GRDB

/// A web archive that had no usable capture of a URL when it was last asked.
public struct ArchiveCheck: Sendable, Hashable {
  public var url: String
  /// The archive's name as configured (`wayback`, `memento:https://…`).
  public var archive: String
  public var checkedAt: Date
  /// Why nothing was usable (no capture, only revisits, a digest mismatch…).
  public var error: String
}

extension Cache {
  /// Remembers that `archive` has no usable capture of `url` (replacing an older check), so a
  /// later run does not ask it again before its retry period.
  public func recordNotArchived(
    url: String, archive: String, error: String, at date: Date? = nil
  ) throws(StoreError) {
    let time = (date ?? now).timeIntervalSince1970
    let text = Self.truncated(error, toUTF8Bytes: options.maxErrorMessageBytes)
    try index.write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO archive_checks (url, archive, checked_at, error)
          VALUES (?, ?, ?, ?)
          """,
        arguments: [url, archive, time, text])
    }
  }

  /// When `archive` was last found to have no capture of `url`; `nil` when it never was (or
  /// the URL has since been recovered).
  public func archiveCheck(url: String, archive: String) throws(StoreError) -> ArchiveCheck? {
    try index.lookUp(
      "SELECT url, archive, checked_at, error FROM archive_checks WHERE url = ? AND archive = ?",
      [url, archive]
    ) { row in
      ArchiveCheck(
        url: row[0], archive: row[1], checkedAt: Date(timeIntervalSince1970: row[2]),
        error: row[3])
    }
  }
}
