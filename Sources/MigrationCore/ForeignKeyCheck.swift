import SQLiteKit

/// `PRAGMA foreign_key_check` limited to what a migration can have broken.
///
/// Migrations run with foreign keys unenforced (as with the sql.js runner, and
/// because `PRAGMA foreign_keys` cannot change inside a transaction), so the
/// check after each migration is what keeps references intact. A schema change
/// checks the whole database; data changes check the child tables of the
/// foreign keys whose child or parent columns were written.
struct ForeignKeyCheck {
    let db: Connection

    struct Key { var child: String, parent: String, from: String, to: String? }

    func violations(after writes: TableWrites) throws -> [ForeignKeyViolation] {
        guard !writes.isEmpty else { return [] }
        let keys = try db.query("""
            SELECT lower(m.name), lower(f."table"), lower(f."from"), lower(f."to")
            FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table'
            """).map { Key(child: $0[0].string ?? "", parent: $0[1].string ?? "", from: $0[2].string ?? "", to: $0[3].string) }
        guard !keys.isEmpty else { return [] }
        if writes.schemaChanged { return try check(nil) }
        var children: [String] = []
        var primaryKeys: [String: Set<String>] = [:]
        for key in keys where !children.contains(key.child) {
            let childHit = writes.inserted.contains(key.child) || writes.updated[key.child]?.contains(key.from) == true
            var parentHit = writes.deleted.contains(key.parent)
            if !parentHit, let columns = writes.updated[key.parent] {
                if let to = key.to {
                    parentHit = columns.contains(to)
                } else {
                    if primaryKeys[key.parent] == nil {
                        primaryKeys[key.parent] = Set(try db.query(
                            "SELECT lower(name) FROM pragma_table_info(?) WHERE pk > 0", [.text(key.parent)]
                        ).compactMap { $0.first?.string })
                    }
                    parentHit = !columns.isDisjoint(with: primaryKeys[key.parent]!)
                }
            }
            if childHit || parentHit { children.append(key.child) }
        }
        var found: [ForeignKeyViolation] = []
        for child in children { found += try check(child) }
        return found
    }

    private func check(_ table: String?) throws -> [ForeignKeyViolation] {
        let rows = try table.map { try db.query("SELECT * FROM pragma_foreign_key_check(?)", [.text($0)]) }
            ?? db.query("PRAGMA foreign_key_check")
        return rows.map { ForeignKeyViolation(table: $0[0].string ?? "", rowid: $0[1].int, parent: $0[2].string ?? "") }
    }
}
