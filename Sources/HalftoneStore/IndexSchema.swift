import GRDB

/// The SQLite schema of `index.sqlite`, as an ordered list of migrations.
///
/// `PRAGMA user_version` holds the number of migrations applied. A halftone that finds a larger
/// number refuses the index (`.indexTooNew`) instead of misreading tables it does not know.
/// Add a migration at the end to change the schema; never edit a released one.
enum IndexSchema {
  /// The schema version this build writes and understands.
  static var currentVersion: Int { migrations.count }

  static let migrations: [(identifier: String, apply: @Sendable (Database) throws -> Void)] = [
    ("v1", createTables),
    ("v2", renameToOriginalsAndThumbnails),
    ("v3", addArchiveProvenance),
  ]

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    for (number, migration) in migrations.enumerated() {
      migrator.registerMigration(migration.identifier) { db in
        try migration.apply(db)
        try db.execute(sql: "PRAGMA user_version = \(number + 1)")
      }
    }
    return migrator
  }

  /// Times are seconds since 1970 (REAL); digests are 64 lowercase hex characters.
  private static func createTables(_ db: Database) throws {
    // One row per image URL: the original bytes it last served, HTTP validators for a
    // conditional re-fetch, and how the last attempt went. `digest` stays NULL until a fetch
    // succeeds, so a URL that always failed still records why.
    try db.execute(
      sql: """
        CREATE TABLE sources (
          url TEXT PRIMARY KEY NOT NULL,
          digest TEXT,
          format TEXT,
          etag TEXT,
          last_modified TEXT,
          content_type TEXT,
          bytes INTEGER,
          width INTEGER,
          height INTEGER,
          fetched_at REAL,
          last_attempt_at REAL NOT NULL,
          last_status TEXT NOT NULL CHECK (last_status IN ('ok', 'failed')),
          last_error_kind TEXT,
          last_error TEXT
        );
        CREATE INDEX sources_by_digest ON sources(digest);

        CREATE TABLE variants (
          original TEXT NOT NULL,
          spec_key TEXT NOT NULL,
          thumbnail TEXT NOT NULL,
          width INTEGER NOT NULL,
          height INTEGER NOT NULL,
          format TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          created_at REAL NOT NULL,
          PRIMARY KEY (original, spec_key)
        ) WITHOUT ROWID;
        CREATE INDEX variants_by_thumbnail ON variants(thumbnail);

        -- Last use of a blob, for least-recently-used eviction. Kept here, not in atime,
        -- because relatime mounts update atime at most daily.
        CREATE TABLE access (
          digest TEXT PRIMARY KEY NOT NULL,
          last_access REAL NOT NULL
        ) WITHOUT ROWID;
        """)
  }

  /// One word per concept: the URL → original table is `originals` (its digest column
  /// `original`, as `thumbnails.original` already was), the (original, spec key) → thumbnail
  /// table is `thumbnails`. Renames only: an existing cache keeps every row and blob.
  private static func renameToOriginalsAndThumbnails(_ db: Database) throws {
    try db.execute(
      sql: """
        ALTER TABLE sources RENAME TO originals;
        ALTER TABLE originals RENAME COLUMN digest TO original;
        DROP INDEX sources_by_digest;
        CREATE INDEX originals_by_original ON originals(original);
        ALTER TABLE variants RENAME TO thumbnails;
        DROP INDEX variants_by_thumbnail;
        CREATE INDEX thumbnails_by_thumbnail ON thumbnails(thumbnail);
        """)
  }

  /// Originals recovered from a web archive name their capture (`archive_url`, `captured_at`;
  /// NULL: from the origin), and `archive_checks` remembers which URLs an archive had no capture
  /// of, and when it was asked, so it is not asked again before `--archive-retry-after`.
  private static func addArchiveProvenance(_ db: Database) throws {
    try db.execute(
      sql: """
        ALTER TABLE originals ADD COLUMN archive_url TEXT;
        ALTER TABLE originals ADD COLUMN captured_at REAL;
        CREATE TABLE archive_checks (
          url TEXT NOT NULL,
          archive TEXT NOT NULL,
          checked_at REAL NOT NULL,
          error TEXT NOT NULL,
          PRIMARY KEY (url, archive)
        ) WITHOUT ROWID;
        """)
  }
}
