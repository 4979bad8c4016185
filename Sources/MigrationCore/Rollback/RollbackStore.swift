import SQLiteKit

/// slipway's own tables (names start with `_slipway`): what rollback needs
/// for each applied migration, kept in the database itself so that a rollback
/// works after the file was edited or deleted, and from any machine.
struct RollbackStore {
    let db: Connection

    static let schema = """
        CREATE TABLE IF NOT EXISTS _slipway_rollback (
          filename TEXT PRIMARY KEY,
          strategy TEXT NOT NULL,        -- generated | backup
          down_sql TEXT,                 -- the file's down section, as it was
          down_line INTEGER,
          changeset BLOB,                -- session changeset of tables with a primary key
          backup_path TEXT,              -- strategy backup: the database before the migration
          written TEXT,                  -- strategy backup: tables to restore from it, one per line
          recorded_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS _slipway_schema (
          filename TEXT NOT NULL, phase TEXT NOT NULL, ord INTEGER NOT NULL,
          type TEXT NOT NULL, name TEXT NOT NULL, tbl_name TEXT NOT NULL, rootpage INTEGER, sql TEXT
        );
        CREATE TABLE IF NOT EXISTS _slipway_snapshot (
          filename TEXT NOT NULL, table_name TEXT NOT NULL, snapshot TEXT NOT NULL, has_rowid INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS _slipway_guard (
          filename TEXT NOT NULL, table_name TEXT NOT NULL, column_name TEXT, digest TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS _slipway_sequence (filename TEXT NOT NULL, name TEXT NOT NULL, seq INTEGER);
        """

    /// Creates the tables when missing. Call inside a write transaction.
    func prepare() throws {
        if try db.scalar("SELECT 1 FROM sqlite_master WHERE name = '_slipway_rollback'") == nil {
            try db.execute(Self.schema)
        }
    }

    var exists: Bool {
        get throws { try db.scalar("SELECT 1 FROM sqlite_master WHERE name = '_slipway_rollback'") != nil }
    }

    /// Replaces what was kept for the same filename (a migration reset and run again).
    func save(_ record: RollbackRecord) throws {
        try delete(record.filename, keepingSnapshots: Set(record.snapshots.map(\.snapshot)))
        try db.query("""
            INSERT INTO _slipway_rollback (filename, strategy, down_sql, down_line, changeset, backup_path, written, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%s', 'now'))
            """, [.text(record.filename), .text(record.strategy.rawValue), record.down.map { .text($0.sql) } ?? .null,
                  record.down.map { .integer(Int64($0.firstLine)) } ?? .null,
                  record.changeset.isEmpty ? .null : .blob(record.changeset), record.backupPath.map(SQLiteValue.text) ?? .null,
                  .text(record.written.sorted().joined(separator: "\n"))])
        for (phase, objects) in [("before", record.before), ("after", record.after)] {
            for (ord, o) in objects.enumerated() {
                try db.cached("INSERT INTO _slipway_schema VALUES (?, ?, ?, ?, ?, ?, ?, ?)").bind(
                    [.text(record.filename), .text(phase), .integer(Int64(ord)), .text(o.type), .text(o.name), .text(o.table),
                     .integer(o.rootpage), o.sql.map(SQLiteValue.text) ?? .null]).run()
            }
        }
        for (ord, r) in record.renames.enumerated() {
            try db.query("INSERT INTO _slipway_schema VALUES (?, 'rename', ?, 'table', ?, ?, NULL, NULL)",
                         [.text(record.filename), .integer(Int64(ord)), .text(r.to), .text(r.from)])
        }
        for s in record.snapshots {
            try db.query("INSERT INTO _slipway_snapshot VALUES (?, ?, ?, ?)",
                         [.text(record.filename), .text(s.table), .text(s.snapshot), .integer(s.hasRowid ? 1 : 0)])
        }
        for g in record.guards {
            try db.query("INSERT INTO _slipway_guard VALUES (?, ?, ?, ?)",
                         [.text(record.filename), .text(g.table), g.column.map(SQLiteValue.text) ?? .null, .text(g.digest)])
        }
        for (name, seq) in record.sequence {
            try db.query("INSERT INTO _slipway_sequence VALUES (?, ?, ?)", [.text(record.filename), .text(name), seq])
        }
    }

    func load(_ filename: String) throws -> RollbackRecord? {
        guard try exists, let row = try db.query(
            "SELECT strategy, down_sql, down_line, changeset, backup_path, written FROM _slipway_rollback WHERE filename = ?",
            [.text(filename)]).first
        else { return nil }
        var record = RollbackRecord(filename: filename, strategy: RollbackRecord.Strategy(rawValue: row[0].string ?? "") ?? .generated)
        if let sql = row[1].string { record.down = MigrationSource.Section(sql: sql, firstLine: Int(row[2].int ?? 1)) }
        if case .blob(let bytes) = row[3] { record.changeset = bytes }
        record.backupPath = row[4].string
        record.written = Set((row[5].string ?? "").split(separator: "\n").map(String.init))
        for r in try db.query("SELECT phase, type, name, tbl_name, rootpage, sql FROM _slipway_schema WHERE filename = ? ORDER BY phase, ord", [.text(filename)]) {
            let o = SchemaObject(type: r[1].string ?? "", name: r[2].string ?? "", table: r[3].string ?? "", rootpage: r[4].int ?? 0, sql: r[5].string)
            switch r[0].string {
            case "before": record.before.append(o)
            case "after": record.after.append(o)
            default: record.renames.append((from: o.table, to: o.name))
            }
        }
        record.snapshots = try db.query("SELECT table_name, snapshot, has_rowid FROM _slipway_snapshot WHERE filename = ?", [.text(filename)])
            .map { .init(table: $0[0].string ?? "", snapshot: $0[1].string ?? "", hasRowid: $0[2].int == 1) }
        record.guards = try db.query("SELECT table_name, column_name, digest FROM _slipway_guard WHERE filename = ?", [.text(filename)])
            .map { .init(table: $0[0].string ?? "", column: $0[1].string, digest: $0[2].string ?? "") }
        record.sequence = try db.query("SELECT name, seq FROM _slipway_sequence WHERE filename = ?", [.text(filename)])
            .map { ($0[0].string ?? "", $0[1]) }
        return record
    }

    /// Removes a migration's records and its snapshot tables (after its rollback or reset).
    func delete(_ filename: String, keepingSnapshots keep: Set<String> = []) throws {
        guard try exists else { return }
        for snapshot in try db.query("SELECT snapshot FROM _slipway_snapshot WHERE filename = ?", [.text(filename)]) {
            let name = snapshot[0].string ?? ""
            if !keep.contains(name) { try db.execute("DROP TABLE IF EXISTS \(SQLIdentifier.quote(name))") }
        }
        for table in ["_slipway_rollback", "_slipway_schema", "_slipway_snapshot", "_slipway_guard", "_slipway_sequence"] {
            try db.query("DELETE FROM \(table) WHERE filename = ?", [.text(filename)])
        }
    }
}

/// What rollback needs for one applied migration.
struct RollbackRecord {
    enum Strategy: String { case generated, backup }
    struct Snapshot { var table: String, snapshot: String, hasRowid: Bool }
    /// A digest taken right after the migration: rollback compares it to find changes made since.
    struct Guard { var table: String, column: String?, digest: String }

    var filename: String
    var strategy: Strategy
    var down: MigrationSource.Section?
    var changeset: [UInt8] = []
    var backupPath: String?
    var written: Set<String> = []
    /// Schema objects the migration changed, as they were before and after it.
    var before: [SchemaObject] = []
    var after: [SchemaObject] = []
    var snapshots: [Snapshot] = []
    /// Tables the migration renamed (by ALTER TABLE … RENAME TO), by their names before and after.
    var renames: [(from: String, to: String)] = []
    var guards: [Guard] = []
    /// `sqlite_sequence` before the migration (AUTOINCREMENT counters).
    var sequence: [(String, SQLiteValue)] = []
}
