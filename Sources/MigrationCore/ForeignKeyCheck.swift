import SQLiteKit

/// `PRAGMA foreign_key_check` limited to what a migration can have broken.
///
/// Migrations run with foreign keys unenforced (as with the sql.js runner, and
/// because `PRAGMA foreign_keys` cannot change inside a transaction), so the
/// check after each migration is what keeps references intact. Only child
/// tables of foreign keys whose child or parent side was written, altered or
/// dropped are checked. The foreign keys are read once per run and then kept up
/// to date from the tables each migration creates, alters and drops; a renamed
/// table (its old name is gone) makes names unknowable, so the whole database
/// is read and checked.
final class ForeignKeyCheck {
    struct Key { var child: String, parent: String, from: String, to: String? }

    /// Foreign keys by child table; nil until first needed.
    private var keys: [String: [Key]]?
    private var primaryKeys: [String: Set<String>] = [:]
    /// `PRAGMA schema_version` after the last check, when the keys matched it.
    private var version: Int64?

    /// Call before a migration's statements run: forgets the keys if the schema
    /// is not the one they were read from.
    func begin(on db: Connection) throws {
        if try schemaVersion(db) != version { keys = nil }
    }

    func violations(after writes: TableWrites, on db: Connection) throws -> [ForeignKeyViolation] {
        defer { version = try? schemaVersion(db) }
        guard !writes.isEmpty else { return [] }
        var renamed: Bool
        if keys == nil {
            try loadAll(db)
            renamed = try writes.altered.contains { try !exists($0, db) }
        } else {
            renamed = try !update(after: writes, db)
            if renamed { try loadAll(db) }
        }
        if keys!.isEmpty { return [] }
        if renamed { return try check(nil, db) }
        var children: [String] = []
        for key in keys!.values.joined() where !children.contains(key.child) {
            if try touches(key, writes, db) { children.append(key.child) }
        }
        var found: [ForeignKeyViolation] = []
        for child in children { found += try check(child, db) }
        return found
    }

    /// Applies a migration's schema changes to the known keys. False when a table
    /// was renamed (an altered table is gone), so the keys must be read again.
    private func update(after writes: TableWrites, _ db: Connection) throws -> Bool {
        for table in writes.dropped { keys![table] = nil }
        var reread = writes.created.union(writes.altered)
        for table in writes.altered {
            guard try exists(table, db) else { return false }
            // A renamed column of a parent changes the keys of its children.
            for key in keys!.values.joined() where key.parent == table { reread.insert(key.child) }
            primaryKeys[table] = nil
        }
        for table in reread { keys![table] = try read(table, db) }
        return true
    }

    private func loadAll(_ db: Connection) throws {
        primaryKeys = [:]
        var all: [String: [Key]] = [:]
        // The LIKE keeps the per-table pragma to tables whose definition can hold a foreign key.
        for row in try db.query("""
            SELECT lower(m.name), lower(f."table"), lower(f."from"), lower(f."to")
            FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' AND m.sql LIKE '%references%'
            """) {
            let key = Key(child: row[0].string ?? "", parent: row[1].string ?? "", from: row[2].string ?? "", to: row[3].string)
            all[key.child, default: []].append(key)
        }
        keys = all
    }

    private func read(_ table: String, _ db: Connection) throws -> [Key]? {
        let keys = try db.query(
            "SELECT lower(\"table\"), lower(\"from\"), lower(\"to\") FROM pragma_foreign_key_list(?)", [.text(table)]
        ).map { Key(child: table, parent: $0[0].string ?? "", from: $0[1].string ?? "", to: $0[2].string) }
        return keys.isEmpty ? nil : keys
    }

    private func schemaVersion(_ db: Connection) throws -> Int64? {
        try db.cached("PRAGMA schema_version").rows().first?.first?.int
    }

    private func exists(_ table: String, _ db: Connection) throws -> Bool {
        try db.hasTable(table)
    }

    private func touches(_ key: Key, _ writes: TableWrites, _ db: Connection) throws -> Bool {
        if writes.inserted.contains(key.child) || writes.altered.contains(key.child)
            || writes.updated[key.child]?.contains(key.from) == true
        {
            return true
        }
        if writes.deleted.contains(key.parent) || writes.dropped.contains(key.parent) || writes.altered.contains(key.parent) {
            return true
        }
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
