import SQLiteKit

extension SchemaDiffer {
    /// ADD COLUMN and DROP COLUMN, when they give exactly the desired table: the
    /// columns kept stay in order and new ones come last. Tried in a savepoint on
    /// the scratch database and undone there when SQLite refuses a statement (a
    /// NOT NULL column without default, a STORED generated column, a dropped
    /// column that a constraint names) or the result differs from the desired text.
    /// What SQLite refuses only on a table with rows is ruled out beforehand.
    ///
    /// `alone`: when no other object names a dropped column, the statements are tried
    /// on a copy holding only this table, and the text SQLite writes for it there is
    /// put into the scratch schema later, with the others', by `applyDefinitions`:
    /// each ALTER on the scratch would make SQLite read its whole schema again.
    func alterInPlace(_ table: SchemaTable, to wanted: SchemaTable, alone: Bool = false) throws -> Bool {
        guard !table.isVirtual, !wanted.isVirtual else { return false }
        let names = table.columns.map { $0.name.lowercased() }
        let wantedNames = wanted.columns.map { $0.name.lowercased() }
        let kept = names.filter(wantedNames.contains)
        guard Array(wantedNames.prefix(kept.count)) == kept else { return false }
        let columnSQL = Self.columnDefinitions(wanted.sql)
        let dropped = table.columns.filter { !wantedNames.contains($0.name.lowercased()) }.map(\.name)
        var tried = dropped.map {
            "ALTER TABLE \(SQLIdentifier.quoteIfNeeded(table.name)) DROP COLUMN \(SQLIdentifier.quoteIfNeeded($0))"
        }
        for column in wanted.columns.dropFirst(kept.count) {
            // SQLite refuses these only when the table has rows, which the scratch copy has not.
            if column.kind == .storedGenerated { return false }
            if column.notNull && (column.defaultSQL == nil || column.defaultSQL?.uppercased() == "NULL") { return false }
            guard let definition = columnSQL[column.name.lowercased()] else { return false }
            tried.append("ALTER TABLE \(SQLIdentifier.quoteIfNeeded(table.name)) ADD COLUMN \(definition)")
        }
        guard !tried.isEmpty else { return false }
        if alone, try !namedElsewhere(dropped, besides: table.name) {
            guard let fits = try definitionAlone(table.name, after: tried, wanted: wanted) else { return false }
            definitions[table.name] = fits
        } else if try fitsOnScratch(table.name, after: tried, wanted: wanted) {
            objects = nil  // the scratch schema changed
        } else {
            return false
        }
        statements.append(contentsOf: tried)
        if !dropped.isEmpty { losesData = true }
        return true
    }

    /// Runs `tried` on the scratch database in a savepoint, kept when the table then reads as `wanted`.
    private func fitsOnScratch(_ name: String, after tried: [String], wanted: SchemaTable) throws -> Bool {
        try scratch.execute("SAVEPOINT slipway_diff")
        let fits = Self.tableText(name, on: scratch, after: tried, wanted: wanted) != nil
        if !fits { try scratch.execute("ROLLBACK TO slipway_diff") }
        try scratch.execute("RELEASE slipway_diff")
        return fits
    }

    /// Runs `tried` on a new database holding only the table as the scratch has it; the
    /// table's text afterwards when it reads as `wanted`, else nil.
    private func definitionAlone(_ name: String, after tried: [String], wanted: SchemaTable) throws -> String? {
        // From the objects read once (no scan of sqlite_schema per table): nothing in this
        // pass has changed the scratch since, or `objects` would have been dropped.
        try readScratchObjects()
        let lower = name.lowercased()
        guard let sql = objects!.first(where: { $0.type == "table" && $0.name == lower })?.sql else { return nil }
        let copy = try Connection(path: ":memory:")
        guard (try? copy.execute(sql)) != nil else { return nil }
        return Self.tableText(name, on: copy, after: tried, wanted: wanted)
    }

    /// Runs `tried` on `db`; the table's text then, when it reads as `wanted` (nil when SQLite
    /// refuses a statement or the text differs).
    private static func tableText(_ name: String, on db: Connection, after tried: [String], wanted: SchemaTable) -> String? {
        do {
            for statement in tried { try db.execute(statement) }
            let now = try db.createStatement(ofTable: name)
            return now.flatMap { SQLText.body(SQLLayout.normalized($0)) == SQLText.body(wanted.sql) ? $0 : nil }
        } catch {
            return nil
        }
    }

    /// Whether an object other than the table's own definition may name one of `columns`:
    /// an index on the table, a view or a trigger that has the word, or another table
    /// that has it and the table's name (a foreign key). SQLite then decides a DROP COLUMN
    /// by them, which only the whole scratch schema holds.
    private func namedElsewhere(_ columns: [String], besides table: String) throws -> Bool {
        guard !columns.isEmpty else { return false }
        try readScratchObjects()
        let lower = table.lowercased(), names = columns.map { $0.lowercased() }
        // A name holding no quote character can only be a word of an object whose text has it:
        // the words of the others are never needed (with 500 tables, most of them).
        let plain = names.allSatisfy { !$0.contains(where: { "\"'`[]".contains($0) }) }
        for i in objects!.indices {
            let o = objects![i]
            if o.type == "table" && o.name == lower { continue }
            if o.type == "index" && o.table != lower { continue }
            if plain && !names.contains(where: { SQLWords.occurs($0, in: o.lowerSQL) }) { continue }
            let words = o.words ?? DatabaseSchema.words(in: o.lowerSQL)
            objects![i].words = words
            if o.type == "table" && !words.contains(lower) { continue }
            if names.contains(where: words.contains) { return true }
        }
        return false
    }

    /// The scratch's objects, read once until the scratch schema changes (`objects = nil`).
    private func readScratchObjects() throws {
        guard objects == nil else { return }
        objects = try scratch.query("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL").map { row in
            let sql = row[3].string ?? ""
            return ScratchObject(type: row[0].string ?? "", name: (row[1].string ?? "").lowercased(),
                                 table: (row[2].string ?? "").lowercased(), sql: sql, lowerSQL: sql.lowercased())
        }
    }

    /// Writes the table texts `alterInPlace(alone:)` found into the scratch schema at once:
    /// the scratch holds no rows, so its tables' records need no rewrite, and SQLite
    /// reads the schema again once, not after each ALTER.
    func applyDefinitions() throws {
        guard !definitions.isEmpty else { return }
        try scratch.execute("PRAGMA writable_schema = ON")
        for (name, sql) in definitions.sorted(by: { $0.key < $1.key }) {
            try scratch.query("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", [.text(sql), .text(name)])
        }
        let version = try scratch.scalar("PRAGMA schema_version")?.int ?? 0
        try scratch.execute("PRAGMA schema_version = \(version + 1)")
        try scratch.execute("PRAGMA writable_schema = OFF")
        definitions.removeAll()
        objects = nil
    }

    /// The 12-step rebuild of https://sqlite.org/lang_altertable.html#otheralter:
    /// create the desired table under a free name, copy the common columns (and
    /// the rowid, when it is no column's alias, so rows keep their identity),
    /// carry the AUTOINCREMENT counter over, drop the old table, rename the new
    /// one. Foreign keys are not enforced while a migration runs (slipway checks
    /// them after it), so the DROP deletes no child row through ON DELETE CASCADE;
    /// indexes, views and triggers come back from the desired schema afterwards.
    func rebuild(_ table: SchemaTable, as wanted: SchemaTable) throws {
        losesData = true
        let old = SQLIdentifier.quoteIfNeeded(table.name)
        if table.isVirtual || wanted.isVirtual {
            try run("DROP TABLE \(old)")
            try run(wanted.sql)
            return
        }
        var temporary = wanted.name + "_new"
        while try scratch.hasTable(temporary) { temporary += "_" }
        let new = SQLIdentifier.quoteIfNeeded(temporary)
        try run("CREATE TABLE \(new) " + SQLText.bodyText(wanted.sql))
        var columns = wanted.columns.filter { c in
            c.kind == .plain && table.column(c.name).map { $0.kind == .plain } == true
        }.map { SQLIdentifier.quoteIfNeeded($0.name) }
        if !table.withoutRowID && !wanted.withoutRowID && Self.rowidAlias(of: wanted) == nil { columns.insert("rowid", at: 0) }
        if !columns.isEmpty {
            let list = columns.joined(separator: ", ")
            try run("INSERT INTO \(new) (\(list)) SELECT \(list) FROM \(old)")
        }
        if table.autoincrement && wanted.autoincrement {
            let (from, to) = (SQLIdentifier.literal(table.name), SQLIdentifier.literal(temporary))
            try run("""
                INSERT INTO sqlite_sequence (name, seq) SELECT \(to), seq FROM sqlite_sequence WHERE name = \(from) \
                AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = \(to))
                """)
            try run("""
                UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN (\(from), \(to))) WHERE name = \(to)
                """)
        }
        try run("DROP TABLE \(old)")
        try run("ALTER TABLE \(new) RENAME TO \(SQLIdentifier.quoteIfNeeded(wanted.name))")
    }

    /// The INTEGER PRIMARY KEY column that is the rowid (https://sqlite.org/lang_createtable.html#rowid).
    static func rowidAlias(of table: SchemaTable) -> String? {
        guard !table.withoutRowID else { return nil }
        let key = table.columns.filter { $0.primaryKey > 0 }
        guard key.count == 1, key[0].type.uppercased() == "INTEGER" else { return nil }
        return key[0].name
    }

    /// Column name (lowercased) → its definition, from a CREATE TABLE in `SQLLayout`
    /// (one column or constraint per line). Constraint lines are left out.
    static func columnDefinitions(_ sql: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in sql.split(separator: "\n").dropFirst().dropLast() {
            var text = line.drop { $0 == " " }
            if text.hasSuffix(",") { text = text.dropLast() }
            var words = SQLWords(String(text))
            guard let first = words.next() else { continue }
            let keyword = first.lowercased()
            guard !["constraint", "primary", "unique", "check", "foreign"].contains(keyword) else { continue }
            result[SQLWords.unquote(first).lowercased()] = String(text)
        }
        return result
    }
}
