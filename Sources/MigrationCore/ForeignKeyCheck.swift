import SQLiteKit

/// `PRAGMA foreign_key_check` limited to what a migration can have broken.
///
/// Migrations run with foreign keys unenforced (as with the sql.js runner, and
/// because `PRAGMA foreign_keys` cannot change inside a transaction), so the
/// check after each migration is what keeps references intact. A dropped or
/// altered table checks the whole database; data changes check the child tables
/// of the foreign keys whose child or parent columns were written. The foreign
/// keys are read once per schema version, not once per migration.
final class ForeignKeyCheck {
    struct Key { var child: String, parent: String, from: String, to: String? }

    private var keys: [Key] = []
    private var primaryKeys: [String: Set<String>] = [:]
    private var schemaVersion: Int64?

    func violations(after writes: TableWrites, on db: Connection) throws -> [ForeignKeyViolation] {
        guard !writes.isEmpty else { return [] }
        try refresh(db)
        guard !keys.isEmpty else { return [] }
        if writes.restructured { return try check(nil, db) }
        var children: [String] = []
        for key in keys where !children.contains(key.child) {
            if try touches(key, writes, db) { children.append(key.child) }
        }
        var found: [ForeignKeyViolation] = []
        for child in children { found += try check(child, db) }
        return found
    }

    /// Re-reads the foreign keys when the schema changed since the last read.
    private func refresh(_ db: Connection) throws {
        let version = try db.scalar("PRAGMA schema_version")?.int
        guard version != schemaVersion else { return }
        schemaVersion = version
        primaryKeys = [:]
        // The LIKE keeps the per-table pragma to tables whose definition can hold a foreign key.
        keys = try db.query("""
            SELECT lower(m.name), lower(f."table"), lower(f."from"), lower(f."to")
            FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' AND m.sql LIKE '%references%'
            """).map { Key(child: $0[0].string ?? "", parent: $0[1].string ?? "", from: $0[2].string ?? "", to: $0[3].string) }
    }

    private func touches(_ key: Key, _ writes: TableWrites, _ db: Connection) throws -> Bool {
        if writes.inserted.contains(key.child) || writes.updated[key.child]?.contains(key.from) == true { return true }
        if writes.deleted.contains(key.parent) { return true }
        guard let columns = writes.updated[key.parent] else { return false }
        if let to = key.to { return columns.contains(to) }
        if primaryKeys[key.parent] == nil {
            primaryKeys[key.parent] = Set(try db.query(
                "SELECT lower(name) FROM pragma_table_info(?) WHERE pk > 0", [.text(key.parent)]
            ).compactMap { $0.first?.string })
        }
        return !columns.isDisjoint(with: primaryKeys[key.parent]!)
    }

    private func check(_ table: String?, _ db: Connection) throws -> [ForeignKeyViolation] {
        let rows = try table.map { try db.query("SELECT * FROM pragma_foreign_key_check(?)", [.text($0)]) }
            ?? db.query("PRAGMA foreign_key_check")
        return rows.map { ForeignKeyViolation(table: $0[0].string ?? "", rowid: $0[1].int, parent: $0[2].string ?? "") }
    }
}
