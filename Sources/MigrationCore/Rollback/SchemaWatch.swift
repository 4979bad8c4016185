import SQLiteKit

/// The "before" and "after" versions of the schema objects one migration
/// touches. Only what a statement can change is read, just before it runs, so
/// the cost follows the migration, not the size of the schema (reading all of
/// `sqlite_master` around each of a thousand migrations would not).
final class SchemaWatch {
    struct Key: Hashable { var type: String, name: String }

    let excluded: String
    private var before: [Key: SchemaObject] = [:]
    private var known: Set<Key> = []
    private var tables: Set<String> = []
    private var names: Set<String> = []
    /// ALTER … RENAME rewrites views, triggers and other tables' foreign keys.
    private var everythingThatNamesTables = false

    init(excluding trackingTable: String) { excluded = trackingTable }

    var isEmpty: Bool { tables.isEmpty && names.isEmpty }

    /// Reads, the first time they are named, the objects of these tables, these objects, and
    /// (for a rename) every view, trigger and table with a foreign key, as they are now.
    func willChange(tables newTables: Set<String>, names newNames: Set<String>, renames: Bool, on db: Connection) throws {
        let t = newTables.subtracting(tables), n = newNames.subtracting(names)
        let all = renames && !everythingThatNamesTables
        guard !t.isEmpty || !n.isEmpty || all else { return }
        // Objects of tables named earlier already have their before-state (or were created since).
        let earlierTables = tables, earlierNames = names
        tables.formUnion(t)
        names.formUnion(n)
        everythingThatNamesTables = everythingThatNamesTables || all
        for o in try read(tables: t, names: n, all: all, db) {
            let key = Key(type: o.type, name: o.name.lowercased())
            if earlierTables.contains(o.table.lowercased()) || earlierNames.contains(key.name) { continue }
            if known.insert(key).inserted { before[key] = o }
        }
    }

    /// The objects that differ, before and after; `alsoTables` adds names tables have now (renames).
    func diff(alsoTables: Set<String>, on db: Connection) throws -> (before: [SchemaObject], after: [SchemaObject]) {
        var after: [Key: SchemaObject] = [:]
        for o in try read(tables: tables.union(alsoTables), names: names, all: everythingThatNamesTables, db) {
            after[Key(type: o.type, name: o.name.lowercased())] = o
        }
        let same = { (a: SchemaObject, b: SchemaObject) in a.sql == b.sql && a.rootpage == b.rootpage && a.name == b.name }
        let old = before.values.filter { o in after[Key(type: o.type, name: o.name.lowercased())].map { !same($0, o) } ?? true }
        let new = after.values.filter { o in before[Key(type: o.type, name: o.name.lowercased())].map { !same($0, o) } ?? true }
        let order = { (a: SchemaObject, b: SchemaObject) in (a.type, a.name) < (b.type, b.name) }
        return (old.sorted(by: order), new.sorted(by: order))
    }

    private func read(tables: Set<String>, names: Set<String>, all: Bool, _ db: Connection) throws -> [SchemaObject] {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if !tables.isEmpty {
            conditions.append("lower(tbl_name) IN (\(Array(repeating: "?", count: tables.count).joined(separator: ", ")))")
            values += tables.sorted().map(SQLiteValue.text)
        }
        if !names.isEmpty {
            conditions.append("lower(name) IN (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))")
            values += names.sorted().map(SQLiteValue.text)
        }
        if all { conditions.append("type IN ('view', 'trigger') OR (type = 'table' AND sql LIKE '%references%')") }
        guard !conditions.isEmpty else { return [] }
        return try db.query("""
            SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master
            WHERE (\(conditions.joined(separator: " OR ")))
              AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE '\\_slipway%' ESCAPE '\\' AND lower(tbl_name) <> lower(?)
            """, values + [.text(excluded)]).map {
            SchemaObject(type: $0[0].string ?? "", name: $0[1].string ?? "", table: $0[2].string ?? "",
                         rootpage: $0[3].int ?? 0, sql: $0[4].string)
        }
    }
}
