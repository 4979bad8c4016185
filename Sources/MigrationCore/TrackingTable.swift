import SQLiteKit

/// A row of the tracking table.
public struct AppliedMigration: Sendable, Equatable {
    public var filename: String
    /// Unix seconds.
    public var appliedAt: Int64
    /// Nil for rows written by another tool (the sql.js runner): such rows are "adopted".
    public var checksum: String?
    public var durationMilliseconds: Int64?
}

/// The `_migrations` table, compatible with the one the sql.js runner created.
///
/// The runner's three columns (`id`, `filename`, `applied_at`) stay as they are;
/// slipway adds nullable columns of its own in place, so an old database is
/// upgraded without losing or changing a row, and the runner could still read it.
public struct TrackingTable: Sendable {
    public let name: String
    /// The name as an SQL identifier, quoted once.
    let quoted: String
    /// Columns slipway adds to the sql.js runner's table: the file's checksum,
    /// how long it took, what its rollback needs (`RollbackStore`), and the journal
    /// of accepted checksum changes (`ChecksumRepair`).
    static let addedColumns: [(name: String, type: String)] = [
        ("checksum", "TEXT"), ("duration_ms", "INTEGER"),
        (rollbackRecordColumn, "TEXT"), ("rollback_changeset", "BLOB"), ("repairs", "TEXT"),
    ]
    static let rollbackRecordColumn = "rollback_record"

    /// A migration's rollback data, stored in its row.
    struct Rollback {
        var record: String
        var changeset: [UInt8]
    }

    public init(name: String = "_migrations") {
        self.name = name
        self.quoted = SQLIdentifier.quote(name)
    }

    /// Column names, or nil when the table does not exist.
    func columns(on db: Connection) throws -> [String]? {
        let names = try db.columnNames(of: name)
        return names.isEmpty ? nil : names
    }

    /// True when `prepare(on:)` would write: the table is missing or lacks slipway's columns.
    public func needsPreparation(on db: Connection) throws -> Bool {
        guard let columns = try columns(on: db) else { return true }
        try checkCompatible(columns)
        return Self.addedColumns.contains { !columns.contains($0.name) }
    }

    /// Creates or upgrades the table. Call inside a write transaction.
    public func prepare(on db: Connection) throws {
        guard let columns = try columns(on: db) else {
            try db.execute("""
                CREATE TABLE \(quoted) (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  filename TEXT UNIQUE NOT NULL,
                  applied_at INTEGER NOT NULL,
                  checksum TEXT,
                  duration_ms INTEGER,
                  rollback_record TEXT,
                  rollback_changeset BLOB,
                  repairs TEXT
                )
                """)
            return
        }
        try checkCompatible(columns)
        for column in Self.addedColumns where !columns.contains(column.name) {
            try db.execute("ALTER TABLE \(quoted) ADD COLUMN \(column.name) \(column.type)")
        }
    }

    func checkCompatible(_ columns: [String]) throws {
        let missing = ["filename", "applied_at"].filter { !columns.contains($0) }
        guard missing.isEmpty else {
            throw MigrationError.incompatibleTrackingTable(
                table: name,
                reason: "it has no \(missing.joined(separator: " or ")) column (columns: \(columns.joined(separator: ", "))); "
                    + "another tool may own it: choose another name with --table or database.table")
        }
    }

    /// Every row, oldest first. Empty when the table does not exist.
    public func rows(on db: Connection) throws -> [AppliedMigration] {
        guard let columns = try columns(on: db) else { return [] }
        try checkCompatible(columns)
        let checksum = columns.contains("checksum") ? "checksum" : "NULL"
        let duration = columns.contains("duration_ms") ? "duration_ms" : "NULL"
        let rows = try db.query("SELECT filename, applied_at, \(checksum), \(duration) FROM \(quoted) ORDER BY id")
        return rows.map { row in
            AppliedMigration(
                filename: row[0].string ?? "", appliedAt: row[1].int ?? 0,
                checksum: row[2].string, durationMilliseconds: row[3].int)
        }
    }

    public func contains(_ filename: String, on db: Connection) throws -> Bool {
        try db.cached("SELECT 1 FROM \(quoted) WHERE filename = ?").bind([.text(filename)]).rows().first != nil
    }

    public func record(_ applied: AppliedMigration, on db: Connection) throws {
        try record(applied, rollback: nil, on: db)
    }

    func record(_ applied: AppliedMigration, rollback: Rollback?, on db: Connection) throws {
        try db.cached("""
            INSERT INTO \(quoted) (filename, applied_at, checksum, duration_ms, rollback_record, rollback_changeset)
            VALUES (?, ?, ?, ?, ?, ?)
            """).bind(
            [.text(applied.filename), .integer(applied.appliedAt),
             applied.checksum.map(SQLiteValue.text) ?? .null,
             applied.durationMilliseconds.map(SQLiteValue.integer) ?? .null,
             rollback.map { .text($0.record) } ?? .null,
             rollback.flatMap { $0.changeset.isEmpty ? nil : .blob($0.changeset) } ?? .null]).run()
    }

    /// Deletes one row by exact filename (a bound parameter: no name is ever SQL).
    /// Returns false when no row had that name.
    public func delete(_ filename: String, on db: Connection) throws -> Bool {
        try db.query("DELETE FROM \(quoted) WHERE filename = ?", [.text(filename)])
        return db.changes > 0
    }
}

enum SQLIdentifier {
    /// An SQL identifier in double quotes, inner quotes doubled.
    static func quote(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }
}
