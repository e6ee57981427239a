import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `index.sqlite`: a GRDB `DatabasePool` in WAL mode (readers never wait for the writer) with a
/// busy timeout (writers from several processes queue instead of failing with "database is
/// locked"). Every GRDB error leaves this type as a `StoreError`.
final class CacheIndex: Sendable {
  let path: String
  let pool: DatabasePool

  /// Opens or creates the index and brings it to the current schema.
  ///
  /// Runs under the cache's exclusive lock, so two processes opening a fresh cache at once do not
  /// both try to create the tables.
  init(path: String, busyTimeout: TimeInterval, lock: FileLock) throws(StoreError) {
    self.path = path
    pool = try lock.withLock(exclusive: true) { () throws(StoreError) -> DatabasePool in
      try Self.checkHeader(path)
      var configuration = Configuration()
      configuration.busyMode = .timeout(busyTimeout)
      configuration.label = "halftone.index"
      configuration.prepareDatabase { db in
        // WAL + NORMAL: a commit survives a killed process; a power cut may lose the last few
        // commits, never a blob (blobs are fsynced before their rows are written).
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
      }
      let pool: DatabasePool
      do {
        pool = try DatabasePool(path: path, configuration: configuration)
      } catch {
        throw Self.mapOpenError(error, path: path)
      }
      let found: Int
      do {
        found = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
      } catch {
        throw Self.mapOpenError(error, path: path)
      }
      guard found <= IndexSchema.currentVersion else {
        throw StoreError(
          kind: .indexTooNew,
          message: "index \(path) has schema version \(found), but this halftone understands "
            + "versions up to \(IndexSchema.currentVersion): upgrade halftone, or use another "
            + "cache with --cache DIR",
          path: path)
      }
      do {
        try IndexSchema.migrator.migrate(pool)
      } catch {
        throw Self.mapOpenError(error, path: path)
      }
      return pool
    }
  }

  /// Reads a consistent snapshot.
  func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.read(body)
    } catch {
      throw Self.mapError(error, path: path)
    }
  }

  /// Runs one SELECT and decodes its first row, if any, straight from the statement.
  ///
  /// A single statement reads one consistent snapshot by itself, so this skips the
  /// BEGIN/COMMIT pair of `read` — most of the cost of a lookup by URL.
  func lookUp<T>(
    _ sql: String, _ arguments: StatementArguments, _ decode: (Row) -> T?
  ) throws(StoreError) -> T? {
    do {
      return try pool.unsafeRead { db in
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        return try cursor.next().flatMap(decode)
      }
    } catch {
      throw Self.mapError(error, path: path)
    }
  }

  /// Writes in one IMMEDIATE transaction (waits for the write lock up to the busy timeout).
  func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.write(body)
    } catch {
      throw Self.mapError(error, path: path)
    }
  }

  /// Bytes of `index.sqlite` plus its `-wal` and `-shm` files.
  func bytesOnDisk() -> Int {
    var total = 0
    for suffix in ["", "-wal", "-shm"] {
      if let status = try? POSIX.status(path + suffix) { total += status.bytes }
    }
    return total
  }

  // MARK: Errors

  private static let sqliteMagic = Array("SQLite format 3\0".utf8)

  /// Recognises a file that is not SQLite before SQLite does, for a clearer message.
  private static func checkHeader(_ path: String) throws(StoreError) {
    guard let status = try POSIX.status(path) else { return }
    guard status.isRegularFile else {
      throw corrupt(path, because: "it is not a regular file")
    }
    guard status.bytes > 0 else { return }  // SQLite treats an empty file as an empty database
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw StoreError.posix("open index", path: path, errno: errno) }
    defer { close(fd) }
    var head = [UInt8](repeating: 0, count: sqliteMagic.count)
    let got = Glibc.read(fd, &head, head.count)
    if got != head.count || head != sqliteMagic {
      throw corrupt(path, because: "it is not a SQLite database")
    }
  }

  private static func corrupt(_ path: String, because reason: String) -> StoreError {
    StoreError(
      kind: .indexCorrupt,
      message: "index \(path) cannot be used: \(reason). Move it aside (for example to "
        + "\(path).bad) and run again: a new index is created, the blobs are kept, and "
        + "`halftone verify --repair` later removes the blobs the new index does not know",
      path: path)
  }

  private static func mapOpenError(_ error: any Error, path: String) -> StoreError {
    if let storeError = error as? StoreError { return storeError }
    if let databaseError = error as? DatabaseError {
      switch databaseError.resultCode {
      case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_ERROR, .SQLITE_SCHEMA:
        return corrupt(path, because: databaseError.message ?? "\(databaseError.resultCode)")
      default: break
      }
    }
    return mapError(error, path: path)
  }

  static func mapError(_ error: any Error, path: String) -> StoreError {
    if let storeError = error as? StoreError { return storeError }
    guard let databaseError = error as? DatabaseError else {
      return StoreError(
        kind: .internal, message: "index \(path): unexpected error \(error)", path: path)
    }
    let detail = databaseError.message ?? "\(databaseError.resultCode)"
    switch databaseError.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      return corrupt(path, because: detail)
    case .SQLITE_FULL:
      return StoreError(
        kind: .storage,
        message: "index \(path): the disk is full (\(detail)); free space, or shrink the cache "
          + "with `halftone gc --max-size SIZE`",
        path: path)
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return StoreError(
        kind: .storage,
        message: "index \(path) stayed locked by another process beyond the busy timeout "
          + "(\(detail)); is a long `halftone gc` or `verify` running?",
        path: path)
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
      return StoreError(
        kind: .storage,
        message: "index \(path) cannot be written (\(detail)); check the permissions of the "
          + "cache directory, or choose another with --cache DIR",
        path: path)
    case .SQLITE_IOERR:
      return StoreError(
        kind: .storage,
        message: "index \(path): I/O error (\(detail)); check the disk, then run "
          + "`halftone verify`",
        path: path)
    default:
      return StoreError(kind: .storage, message: "index \(path): \(detail)", path: path)
    }
  }
}
