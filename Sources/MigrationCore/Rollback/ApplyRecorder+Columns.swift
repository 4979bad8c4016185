import SQLiteKit

/// The `.columns` mode, for a migration whose session would outgrow its limit: a copy of
/// `rowid` and each column an UPDATE sets, taken before its first update, is the data
/// reverse; any other write to a table that existed before asks for a backup instead.
extension ApplyRecorder {
    /// `.columns` mode: copies the updated columns before their first update; any
    /// other write to a table that existed before asks for the backup path instead.
    func copyColumns(_ events: [AuthorizerEvent], sql: String) throws -> Bool {
        var wanted: [String: Set<String>] = [:]
        for event in events where event.database == nil || event.database == "main" {
            switch event.action {
            case .createTable(let t) where !isInternal(t.lowercased()):
                created.insert(t.lowercased())
            case .update(let t, let column):
                let lower = t.lowercased()
                guard !isInternal(lower), try isTable(t), original(t) != nil else { continue }
                if try SQLWords.mentions(sql, "replace") || !facts.of(t, on: db).hasRowid { return requestBackup() }
                if copiedColumns[lower]?.contains(column.lowercased()) != true { wanted[lower, default: []].insert(column) }
            case .insert(let t), .delete(let t):
                let lower = t.lowercased()
                guard !isInternal(lower), try isTable(t) else { continue }
                if original(t) != nil { return requestBackup() }
                insertedInto.insert(lower)
            case .alterTable(let t) where !isInternal(t.lowercased()) && original(t) == nil:
                followRenameOfCreated(t, AlterStatement(sql: sql))
            case .dropTable(let t), .alterTable(let t):
                if !isInternal(t.lowercased()) && original(t) != nil { return requestBackup() }
            default:
                break
            }
        }
        for (table, columns) in wanted.sorted(by: { $0.key < $1.key }) {
            let list = columns.sorted()
            let name = "_slipway_cols_" + String(columnCopies.count) + "_" + shortHash(filename + "\u{0}" + table)
            let quoted = list.map(SQLIdentifier.quote).joined(separator: ", ")
            try db.execute("DROP TABLE IF EXISTS \(SQLIdentifier.quote(name))")
            try db.execute("CREATE TABLE \(SQLIdentifier.quote(name)) (_slipway_rowid INTEGER PRIMARY KEY, \(quoted))")
            try db.execute("INSERT INTO \(SQLIdentifier.quote(name)) SELECT rowid, \(quoted) FROM \(SQLIdentifier.quote(table))")
            columnCopies.append(.init(table: table, copy: name, columns: list))
            copiedColumns[table, default: []].formUnion(list.map { $0.lowercased() })
        }
        return true
    }

    /// Whether an UPDATE reads the whole of a table so large that the session
    /// would pass its limit (`EXPLAIN QUERY PLAN` says SCAN, not SEARCH): such a
    /// migration goes straight to column copies instead of filling the session first.
    func scansHugeTable(_ table: String, sql: String) throws -> Bool {
        guard case .session(let limit) = mode else { return false }
        let lower = table.lowercased()
        if bigTable[lower] == nil {
            // Two subqueries: SQLite reads min() and max() from the b-tree's ends only when each stands alone.
            let q = SQLIdentifier.quote(table)
            let rows = try facts.of(table, on: db).hasRowid
                ? try db.query("SELECT (SELECT max(rowid) FROM \(q)) - (SELECT min(rowid) FROM \(q))").first?.first?.int ?? 0 : 0
            bigTable[lower] = rows > limit / 64  // a session keeps at least this much per changed row
        }
        guard bigTable[lower] == true else { return false }
        let plan = try db.query("EXPLAIN QUERY PLAN " + sql).compactMap { $0.last?.string }
        return plan.contains { $0.hasPrefix("SCAN ") && $0.dropFirst(5).lowercased().hasPrefix(lower) }
    }

    func requestBackup() -> Bool {
        restart = .needsBackup
        return false
    }
}
