import SQLiteKit

/// Runs the steps of a reverse migration on a connection inside its transaction.
struct ReverseStepRunner {
    let db: Connection
    let record: RollbackRecord
    let file: String
    let trackingTable: String
    /// The schema name the migration's backup is attached as, for a backup-strategy record.
    let backup: String?
    /// `sqlite_sequence` as the rollback found it (the user's tables only).
    private let countersAtStart: [(name: String, seq: SQLiteValue)]

    /// Call inside the rollback's transaction, before its first step.
    init(db: Connection, record: RollbackRecord, file: String, trackingTable: String, backup: String? = nil) throws(MigrationError) {
        self.db = db
        self.backup = backup
        self.record = record
        self.file = file
        self.trackingTable = trackingTable.lowercased()
        do {
            countersAtStart = try db.hasTable("sqlite_sequence")
                ? try db.query("SELECT name, seq FROM sqlite_sequence").compactMap { row in row[0].string.map { ($0, row[1]) } }
                    .filter { !Self.isSlipways($0.name, trackingTable: trackingTable) }
                : []
        } catch {
            throw .sqlite(error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)"), while: "reading sqlite_sequence")
        }
    }

    /// The tracking table and `_slipway*` tables: not the user's, their counters are left alone.
    private static func isSlipways(_ name: String, trackingTable: String) -> Bool {
        name.lowercased() == trackingTable.lowercased() || name.lowercased().hasPrefix("_slipway")
    }

    func run(_ step: ReverseStep) throws(MigrationError) {
        do {
            switch step {
            case .sql(let sql):
                try db.execute(sql)
            case .createIfMissing(let o):
                if try db.scalar("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ? COLLATE NOCASE", [.text(o.type), .text(o.name)]) == nil {
                    try db.execute(o.sql ?? "")
                }
            case .rebuild(let old):
                try rebuild(old)
            case .invertChangeset(let tables):
                let names = Set(tables.map { $0.lowercased() })
                try db.applyInverse(of: record.changeset) { names.contains($0.lowercased()) }
            case .deleteInserted(let table, let after, let through, _, let digest):
                let rowids = TableDigest.Rowids(after: after, through: through)
                guard try TableDigest.of(table, rowids: rowids, on: db) == digest else {
                    throw MigrationError.rollbackConflict(filename: file, "\(table): a row the migration inserted was changed or deleted, or a row took its rowid")
                }
                try db.execute("DELETE FROM \(SQLIdentifier.quote(table)) WHERE \(rowids.condition)")
            case .restoreFromSnapshot(let table, let snapshot, let hasRowid):
                try restore(table, from: SQLIdentifier.quote(snapshot), rowid: hasRowid ? "_slipway_rowid" : nil)
            case .restoreColumns(let table, let copy, let columns):
                let set = columns.map { "\(SQLIdentifier.quote($0)) = s.\(SQLIdentifier.quote($0))" }.joined(separator: ", ")
                try db.execute("UPDATE \(SQLIdentifier.quote(table)) SET \(set) FROM \(SQLIdentifier.quote(copy)) AS s WHERE \(SQLIdentifier.quote(table)).rowid = s._slipway_rowid")
            case .restoreFromBackup(let table, _):
                let rowid = try db.hasRowid(table)
                guard let backup else { throw MigrationError.notReversible(filename: file, reason: "its backup is not attached") }
                try restore(table, from: backup + "." + SQLIdentifier.quote(table), rowid: rowid ? "rowid" : nil)
            case .restoreSequence(let rows):
                try restoreCounters(rows)
            case .downSection(let sql):
                let section = MigrationSource.Section(sql: sql, firstLine: record.down?.firstLine ?? 1)
                try DownSectionRunner(section: section, file: file, hint: "rollback runs the down section recorded when the migration was applied: fix it in the file and run `slipway repair \(file)` to record the fix (an empty down section uses the reverse slipway recorded)").run(on: db)
            }
        } catch let error as MigrationError {
            throw error
        } catch let conflict as ChangesetConflict {
            throw .rollbackConflict(filename: file, conflict.description)
        } catch let error as SQLiteError {
            throw .sqlite(error, while: "rolling back \(file): \(step)")
        } catch {
            throw .sqlite(SQLiteError(code: 1, message: "\(error)"), while: "rolling back \(file)")
        }
    }

    /// Rebuilds a table to its old definition (https://sqlite.org/lang_altertable.html,
    /// section 7), columns matched by position, which ADD COLUMN and RENAME COLUMN
    /// keep; rowids kept. `legacy_alter_table` stops the rename to a scratch name
    /// from rewriting other tables' references to it.
    private func rebuild(_ old: SchemaObject) throws {
        guard let sql = old.sql,
              let now = try db.createStatement(ofTable: old.name),
              now != sql
        else { return }
        let oldColumns = try ReverseGenerator.columns(of: sql)
        let newColumns = try db.columnNames(of: old.name)
        if try dropAddedColumns(of: old.name, now: now, old: sql, oldColumns: oldColumns, newColumns: newColumns) { return }
        let scratch = SQLIdentifier.quote("_slipway_rebuild_" + old.name)
        let rowid = try db.hasRowid(old.name)
        let into = ((rowid ? ["rowid"] : []) + oldColumns).map(SQLIdentifier.quote).joined(separator: ", ")
        let from = ((rowid ? ["rowid"] : []) + newColumns.prefix(oldColumns.count)).map(SQLIdentifier.quote).joined(separator: ", ")
        try db.execute("PRAGMA legacy_alter_table = ON")
        defer { try? db.execute("PRAGMA legacy_alter_table = OFF") }
        try db.execute("ALTER TABLE \(SQLIdentifier.quote(old.name)) RENAME TO \(scratch)")
        try db.execute(sql)
        try db.execute("INSERT INTO \(SQLIdentifier.quote(old.name)) (\(into)) SELECT \(from) FROM \(scratch)")
        try db.execute("DROP TABLE \(scratch)")
    }

    /// Sets every AUTOINCREMENT counter of the user's tables to what it was before
    /// the migration: the recorded value where the migration moved it, else the
    /// value found when this rollback began (under the table's name from then).
    /// Re-creating, rebuilding or refilling a table would otherwise set its
    /// counter to its largest rowid, or leave one for an empty table.
    private func restoreCounters(_ recorded: [ReverseStep.SequenceRow]) throws {
        guard try db.hasTable("sqlite_sequence") else { return }
        let nameBefore = Dictionary(record.renames.map { ($0.to.lowercased(), $0.from) }, uniquingKeysWith: { a, _ in a })
        var target: [String: (name: String, seq: SQLiteValue)] = [:]
        // A table the migration created goes with its counter (a rebuild that added AUTOINCREMENT
        // made one); the recorded rows say what the table of that name had before.
        let created = Set(record.created.filter { $0.type == "table" }.map { $0.name.lowercased() })
        for (name, seq) in countersAtStart where !created.contains(name.lowercased()) {
            let original = nameBefore[name.lowercased()] ?? name
            target[original.lowercased()] = (original, seq)
        }
        for row in recorded {
            target[row.name.lowercased()] = row.seq.map { (row.name, .integer($0)) }
        }
        for row in try db.query("SELECT name FROM sqlite_sequence") {
            guard let name = row[0].string, !Self.isSlipways(name, trackingTable: trackingTable) else { continue }
            if target[name.lowercased()] == nil { try db.query("DELETE FROM sqlite_sequence WHERE name = ?", [.text(name)]) }
        }
        for (name, seq) in target.values.sorted(by: { $0.name < $1.name }) where try db.hasTable(name) {
            try db.query("DELETE FROM sqlite_sequence WHERE name = ?", [.text(name)])
            try db.query("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [.text(name), seq])
        }
    }

    /// Replaces every row of `table` with those of `source`, rowids and storage classes kept.
    private func restore(_ table: String, from source: String, rowid: String?) throws {
        let columns = try db.columnNames(of: table)
        let list = columns.map(SQLIdentifier.quote).joined(separator: ", ")
        let target = SQLIdentifier.quote(table)
        try db.execute("DELETE FROM \(target)")
        if let rowid {
            try db.execute("INSERT INTO \(target) (rowid, \(list)) SELECT \(rowid), \(list) FROM \(source)")
        } else {
            try db.execute("INSERT INTO \(target) (\(list)) SELECT \(list) FROM \(source)")
        }
    }
}
