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
        /// `pragma_table_xinfo`, asked separately: most tables are only asked what they are.
        var columns: [Column]?
        /// Clauses of the CREATE TABLE statement (`definitionWords`), asked separately too.
        var definitionWords: (replace: Bool, keyDescending: Bool)?
    }

    /// A row of `pragma_table_xinfo`.
    struct Column {
        var name: String
        /// Declared type, uppercased.
        var type: String
        var notNull: Bool
        /// The default's SQL text, as the pragma reports it.
        var defaultSQL: String?
        var primaryKey: Int
        /// 0 for an ordinary column (`pragma_table_info` lists only those).
        var hidden: Int

        var lowercasedName: String { name.lowercased() }

        /// A default that is a literal, the same for every row: not an expression, not the clock.
        var hasConstantDefault: Bool {
            guard let text = defaultSQL else { return false }
            let upper = text.uppercased()
            return upper != "NULL" && !upper.hasPrefix("(") && !["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"].contains(upper)
        }
    }

    private var known: [String: Facts] = [:]
    /// `PRAGMA schema_version` at the end of the last migration that used these answers.
    private var version: Int64?
    /// Whether the database may hold virtual tables (and their shadow tables), which
    /// only `pragma_table_list` tells from ordinary ones; nil: not asked since the cache was emptied.
    private var mayHoldVirtualTables: Bool?
    /// Values of constant defaults, by their SQL text.
    private var defaultValues: [String: SQLiteValue] = [:]
    /// Whether some trigger's body mentions REPLACE (an INSERT OR REPLACE there deletes the
    /// rows it conflicts with, which no authorizer event shows); nil: not asked since a trigger changed.
    private var triggersMayReplace: Bool?

    /// Call as an attempt at a migration starts, inside its transaction.
    func begin(on db: Connection) throws {
        if try schemaVersion(db) != version { forgetAll() }
        version = nil
    }

    private func forgetAll() {
        known.removeAll()
        mayHoldVirtualTables = nil
        triggersMayReplace = nil
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
            case .createTrigger, .dropTrigger:
                triggersMayReplace = nil
            case .virtualTable:
                forgetAll()
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
        if try mayHoldVirtualTables(db) {
            if let row = try db.cached("SELECT type, wr FROM pragma_table_list(?) WHERE schema = 'main'").bind([.text(table)]).rows().first {
                facts.type = row[0].string
                facts.hasRowid = row[1].int != 1
            }
        } else if try db.hasTable(table) {
            // The in-memory schema answers without a statement. `pragma_table_list` would
            // work out every view's columns first, each time the schema changed.
            facts.type = "table"
            facts.hasRowid = try db.hasRowid(table)
        } else if try db.cached("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ? COLLATE NOCASE").bind([.text(table)]).rows().first != nil {
            facts.type = "view"
        }
        known[key] = facts
        return facts
    }

    private func mayHoldVirtualTables(_ db: Connection) throws -> Bool {
        if let known = mayHoldVirtualTables { return known }
        let found = try db.cached("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND sql LIKE 'create virtual%')")
            .rows().first?.first?.int == 1
        mayHoldVirtualTables = found
        return found
    }

    /// Whether `table` declares a PRIMARY KEY (the session extension records only such tables).
    func hasPrimaryKey(_ table: String, on db: Connection) throws -> Bool {
        try ordinaryColumns(table, on: db).contains { $0.primaryKey > 0 }
    }

    /// Every column of `table`, hidden ones included, in order (`pragma_table_xinfo`).
    func columns(_ table: String, on db: Connection) throws -> [Column] {
        var facts = try of(table, on: db)
        if let known = facts.columns { return known }
        let columns = try db.cached("SELECT name, upper(type), \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?, 'main') ORDER BY cid")
            .bind([.text(table)]).rows().map {
                Column(name: $0[0].string ?? "", type: $0[1].string ?? "", notNull: $0[2].int == 1, defaultSQL: $0[3].string,
                       primaryKey: Int($0[4].int ?? 0), hidden: Int($0[5].int ?? 0))
            }
        facts.columns = columns
        known[table.lowercased()] = facts
        return columns
    }

    /// Whether a constraint of the table resolves conflicts by REPLACE: then an INSERT or UPDATE
    /// may delete other rows, and so may the inverse of a changeset, which does not expect it.
    func definesReplace(_ table: String, on db: Connection) throws -> Bool {
        try definitionWords(table, on: db).replace
    }

    /// Whether the table's CREATE TABLE statement holds the clauses ON CONFLICT REPLACE and
    /// PRIMARY KEY DESC, as three words in a row in any case, read once per table.
    private func definitionWords(_ table: String, on db: Connection) throws -> (replace: Bool, keyDescending: Bool) {
        var facts = try of(table, on: db)
        if let known = facts.definitionWords { return known }
        let sql = try db.createStatement(ofTable: table) ?? ""
        var tokens = SQLWords(sql)
        var words: [String] = []
        while let w = tokens.next() { words.append(w.lowercased()) }
        func has(_ a: String, _ b: String, _ c: String) -> Bool {
            words.indices.dropLast(2).contains { words[$0] == a && words[$0 + 1] == b && words[$0 + 2] == c }
        }
        let found = (replace: has("on", "conflict", "replace"), keyDescending: has("primary", "key", "desc"))
        facts.definitionWords = found
        known[table.lowercased()] = facts
        return found
    }

    /// Whether some trigger may replace rows (see `triggersMayReplace`).
    func someTriggerMayReplace(on db: Connection) throws -> Bool {
        if let known = triggersMayReplace { return known }
        let found = try db.cached("""
            SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%replace%')
                OR EXISTS (SELECT 1 FROM sqlite_temp_master WHERE type = 'trigger' AND sql LIKE '%replace%')
            """).rows().first?.first?.int == 1
        triggersMayReplace = found
        return found
    }

    /// Whether the table's rowid is an INTEGER PRIMARY KEY column: VACUUM keeps such rowids.
    /// (A column declared `INTEGER PRIMARY KEY DESC` is no alias of the rowid: SQLite's quirk.)
    func rowidIsKey(_ table: String, on db: Connection) throws -> Bool {
        let key = try ordinaryColumns(table, on: db).filter { $0.primaryKey > 0 }
        return try key.count == 1 && key[0].type == "INTEGER" && of(table, on: db).hasRowid
            && !definitionWords(table, on: db).keyDescending
    }

    /// The columns `pragma_table_info` lists (not hidden), in order: their index is a changeset's column index.
    func ordinaryColumns(_ table: String, on db: Connection) throws -> [Column] {
        try columns(table, on: db).filter { $0.hidden == 0 }
    }

    /// The value of a constant default's SQL (see `Column.hasConstantDefault`).
    func value(ofDefault sql: String, on db: Connection) throws -> SQLiteValue {
        if let known = defaultValues[sql] { return known }
        let value = try db.scalar("SELECT " + sql) ?? .null
        defaultValues[sql] = value
        return value
    }

    private func schemaVersion(_ db: Connection) throws -> Int64? {
        try db.cached("PRAGMA schema_version").rows().first?.first?.int
    }
}
