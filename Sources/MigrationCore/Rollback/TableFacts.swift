import SQLiteKit

/// What recording asks SQLite about a table (its kind, primary key, rowid),
/// remembered across the migrations of a run: each answer costs
/// a pragma query that SQLite prepares again after every schema change, and
/// most migrations write tables an earlier one already asked about.
///
/// An answer is forgotten as soon as a statement may have changed it (CREATE,
/// DROP or ALTER of that name, both names of a rename; any virtual table),
/// and all of them when the schema changed outside this run or an attempt at a
/// migration did not get to its end (it is rolled back, and what it learned
/// may describe a schema that is gone).
final class TableFacts {
    struct Facts {
        /// `pragma_table_list`'s type ("table", "view", "virtual", "shadow"); nil: no such name.
        var type: String?
        var hasRowid = false
        /// Asked separately: most tables are only asked what they are.
        var hasPrimaryKey: Bool?
    }

    private var known: [String: Facts] = [:]
    /// `PRAGMA schema_version` at the end of the last migration that used these answers.
    private var version: Int64?

    /// Call as an attempt at a migration starts, inside its transaction.
    func begin(on db: Connection) throws {
        if try schemaVersion(db) != version { known.removeAll() }
        version = nil
    }

    /// Call once the migration's statements have all run, before it commits.
    func end(on db: Connection) throws {
        version = try schemaVersion(db)
    }

    /// Forgets what a statement that just ran (or failed) may have changed.
    func forget(after events: [AuthorizerEvent], sql: @autoclosure () -> String) {
        for event in events {
            switch event.action {
            case .createTable(let name), .dropTable(let name), .createView(let name), .dropView(let name):
                known[name.lowercased()] = nil
            case .alterTable(let name):
                known[name.lowercased()] = nil
                if case .renameTable(let to) = AlterStatement(sql: sql()) { known[to.lowercased()] = nil }
            case .virtualTable:
                known.removeAll()
            default:
                break
            }
        }
    }

    /// The kind of `table` in the main database, and whether it has a rowid.
    func of(_ table: String, on db: Connection) throws -> Facts {
        let key = table.lowercased()
        if let facts = known[key] { return facts }
        var facts = Facts()
        if let row = try db.cached("SELECT type, wr FROM pragma_table_list(?) WHERE schema = 'main'").bind([.text(table)]).rows().first {
            facts.type = row[0].string
            facts.hasRowid = row[1].int != 1
        }
        known[key] = facts
        return facts
    }

    /// Whether `table` declares a PRIMARY KEY (the session extension records only such tables).
    func hasPrimaryKey(_ table: String, on db: Connection) throws -> Bool {
        var facts = try of(table, on: db)
        if let known = facts.hasPrimaryKey { return known }
        let has = try db.cached("SELECT EXISTS (SELECT 1 FROM pragma_table_info(?, 'main') WHERE pk > 0)").bind([.text(table)])
            .rows().first?.first?.int == 1
        facts.hasPrimaryKey = has
        known[table.lowercased()] = facts
        return has
    }

    private func schemaVersion(_ db: Connection) throws -> Int64? {
        try db.cached("PRAGMA schema_version").rows().first?.first?.int
    }
}
