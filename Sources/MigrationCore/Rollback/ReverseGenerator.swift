import SQLiteKit

/// Turns what was recorded for a migration into the steps that undo it, on the
/// database as it is now (https://sqlite.org/lang_altertable.html, "Making
/// Other Kinds Of Table Schema Changes", for the table rebuild).
///
/// Order matters: triggers and views go first (restored rows must not fire
/// triggers, rebuilt tables must not break views); the inverse changeset runs
/// while tables still have the migration's shape; then renames are reversed,
/// tables the migration created are dropped, changed ones rebuilt or restored,
/// dropped ones re-created with their rows; last, every index, view and
/// trigger of the target schema that is missing is created.
struct ReverseGenerator {
    let record: RollbackRecord
    let current: Schema

    func steps() -> [ReverseStep] {
        if let down = record.down { return [.downSection(down.sql)] }
        if record.strategy == .nothing { return [] }
        var steps: [ReverseStep] = []
        let before = Schema(objects: record.before)
        let key = { (type: String, name: String) in "\(type)\u{0}\(name.lowercased())" }
        let touched = Set(record.before.map { key($0.type, $0.name) } + record.created.map { key($0.type, $0.name) })
        let createdTables = Set(record.created.filter { $0.type == "table" }.map { $0.name.lowercased() })
        let renamedFrom = Set(record.renames.map { $0.from.lowercased() })
        let snapshots = Dictionary(record.snapshots.map { ($0.table.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let restoredHere = Set(record.strategy == .backup ? record.written : Set(snapshots.keys))

        for o in current.objects where o.type == "trigger" { steps.append(.sql("DROP TRIGGER IF EXISTS \(q(o.name))")) }
        for o in current.objects where o.type == "view" { steps.append(.sql("DROP VIEW IF EXISTS \(q(o.name))")) }
        for o in current.objects where o.type == "index" && o.sql != nil && touched.contains(key("index", o.name)) {
            steps.append(.sql("DROP INDEX IF EXISTS \(q(o.name))"))
        }

        let inverted = current.tables.map(\.name).filter { name in
            let lower = name.lowercased()
            return !createdTables.contains(lower) && !restoredHere.contains(lower)
                && !restoredHere.contains(originalName(lower))
        }
        if !record.changeset.isEmpty { steps.append(.invertChangeset(tables: inverted)) }
        let invertible = Set(inverted.map { $0.lowercased() })
        for rows in record.inserted where invertible.contains(rows.table.lowercased()) {
            steps.append(.deleteInserted(table: rows.table, after: rows.after, through: rows.through, rows: rows.rows, digest: rows.digest))
        }

        for rename in record.renames.reversed() {
            steps.append(.sql("ALTER TABLE \(q(rename.to)) RENAME TO \(q(rename.from))"))
        }
        for table in createdTables.sorted() { steps.append(.sql("DROP TABLE IF EXISTS \(q(table))")) }

        for old in before.tables {
            let lower = old.name.lowercased()
            let stillThere = current.table(old.name) != nil || renamedFrom.contains(lower)
            guard let sql = old.sql else { continue }
            if let source = restoreSource(lower, snapshots) {
                // A table the migration made under this name is dropped above already.
                if stillThere && !createdTables.contains(lower) { steps.append(.sql("DROP TABLE IF EXISTS \(q(old.name))")) }
                steps.append(.sql(sql))
                steps.append(source)
            } else if stillThere {
                steps.append(.rebuild(old))
            } else {
                steps.append(.sql(sql))  // dropped without a copy: reported as data loss
            }
        }
        for (lower, snapshot) in snapshots.sorted(by: { $0.key < $1.key }) where before.table(lower) == nil {
            steps.append(.restoreFromSnapshot(table: snapshot.table, snapshot: snapshot.snapshot, hasRowid: snapshot.hasRowid))
        }
        if record.strategy == .backup, let path = record.backupPath {
            for table in record.written.sorted() where before.table(table) == nil {
                steps.append(.restoreFromBackup(table: table, path: path))
            }
        }
        // Latest copy first, so a column ends with the value from before its first update.
        for copy in record.columnCopies.reversed() {
            steps.append(.restoreColumns(table: copy.table, copy: copy.copy, columns: copy.columns))
        }

        let target = current.objects.filter { $0.type != "table" && !touched.contains(key($0.type, $0.name)) }
            + before.objects.filter { $0.type != "table" }
        for kind in ["index", "view", "trigger"] {
            for o in target where o.type == kind && o.sql != nil { steps.append(.createIfMissing(o)) }
        }
        // Refilled and rebuilt tables get counters from their rows: put them all back too.
        let refills = steps.contains {
            switch $0 {
            case .rebuild, .restoreFromSnapshot, .restoreFromBackup: true
            default: false
            }
        }
        if !record.sequence.isEmpty || refills {
            steps.append(.restoreSequence(record.sequence.map { .init(name: $0.name, seq: $0.seq) }))
        }
        return steps
    }

    private func restoreSource(_ table: String, _ snapshots: [String: RollbackRecord.Snapshot]) -> ReverseStep? {
        if let s = snapshots[table] { return .restoreFromSnapshot(table: s.table, snapshot: s.snapshot, hasRowid: s.hasRowid) }
        if record.strategy == .backup, record.written.contains(table), let path = record.backupPath {
            return .restoreFromBackup(table: table, path: path)
        }
        return nil
    }

    private func originalName(_ lower: String) -> String {
        record.renames.first { $0.to.lowercased() == lower }?.from.lowercased() ?? lower
    }

    /// Column names of a CREATE TABLE statement, read by SQLite on a scratch in-memory database.
    static func columns(of createTable: String) throws -> [String] {
        let scratch = try Connection(path: ":memory:")
        try scratch.execute(createTable)
        let name = try scratch.scalar("SELECT name FROM sqlite_master WHERE type = 'table'")?.string ?? ""
        return try scratch.columnNames(of: name)
    }

    private func q(_ name: String) -> String { SQLIdentifier.quote(name) }
}
