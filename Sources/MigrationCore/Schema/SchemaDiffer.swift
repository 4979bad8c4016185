import SQLiteKit

/// Works out the statements of a `SchemaDiff` on a scratch database that starts
/// as the current schema: every statement is run there as it is chosen, so a
/// later choice sees what the earlier ones did, an in-place ALTER that SQLite
/// refuses (or that would not give the desired table) falls back to a rebuild,
/// and the end result is checked against the desired schema's dump.
final class SchemaDiffer {
    let scratch: Connection
    var statements: [String] = []
    var notes: [String] = []
    var losesData = false
    /// Table texts found by `alterInPlace(alone:)`, not yet in the scratch schema (`applyDefinitions`).
    var definitions: [String: String] = [:]
    /// The scratch schema's objects, for `namedElsewhere`; nil once the schema changed.
    var objects: [ScratchObject]?

    /// One scratch object, lowercased; the words of its SQL are read when first needed.
    struct ScratchObject {
        var type: String, name: String, table: String, sql: String, lowerSQL: String
        var words: Set<String>?
    }

    let current: DatabaseSchema
    let desired: DatabaseSchema

    /// The scratch starts as a copy of `source` when given (it holds `current`), else as `current`'s dump run.
    init(current: DatabaseSchema, desired: DatabaseSchema, copying source: Connection? = nil) throws {
        scratch = try Connection(path: ":memory:")
        if let source { try source.backup(to: scratch) } else { try scratch.execute(current.dump) }
        self.current = current
        self.desired = desired
    }

    func run(_ sql: String) throws {
        try scratch.execute(sql)
        statements.append(sql)
    }

    func now(_ detail: DatabaseSchema.Detail = .full) throws -> DatabaseSchema {
        try DatabaseSchema.read(scratch, excluding: "", detail: detail)
    }

    func diff(renames: [SchemaRename]) throws {
        try rename(renames)
        // The scratch holds `current` until a rename changes it (the end result is checked anyway).
        let current = renames.isEmpty ? self.current : try now()
        let wantedTables = Self.byName(desired.tables, \.name)
        let dropped = current.tables.filter { wantedTables[$0.name.lowercased()] == nil }
        let currentNames = Set(current.tables.map { $0.name.lowercased() })
        let added = desired.tables.filter { !currentNames.contains($0.name.lowercased()) }
        var changed = current.tables.filter { t in wantedTables[t.name.lowercased()].map { !SQLText.sameBody($0.sql, t.sql) } ?? false }
        noteRenames(dropped: dropped, added: added, changed: changed)

        // ADD and DROP COLUMN first, with views and triggers in place: SQLite refuses a
        // DROP COLUMN that one of them uses, and those that it accepts leave them valid.
        var altered: Set<String> = []
        for table in changed where try alterInPlace(table, to: wantedTables[table.name.lowercased()]!, alone: true) {
            altered.insert(table.name.lowercased())
        }
        try applyDefinitions()
        changed.removeAll { altered.contains($0.name.lowercased()) }

        // Views and triggers hold no data: those that change, go, or stand on a table
        // that changes otherwise are dropped first and created again from the desired schema.
        let touched = Set((dropped + changed).map { $0.name.lowercased() })
        let wantedViews = Self.byName(desired.views, \.name)
        var goneViews: Set<String> = []
        var grew = true
        while grew {
            grew = false
            for view in current.views where !goneViews.contains(view.name.lowercased()) {
                let same = wantedViews[view.name.lowercased()].map { SQLText.same($0.sql, view.sql) } ?? false
                if !same || !DatabaseSchema.mentioned(Array(touched.union(goneViews)), in: view.sql).isEmpty {
                    goneViews.insert(view.name.lowercased())
                    grew = true
                }
            }
        }
        let gone = touched.union(goneViews)
        let wantedTriggers = Self.byName(desired.triggers, \.name)
        for trigger in current.triggers {
            let same = wantedTriggers[trigger.name.lowercased()].map { SQLText.same($0.sql, trigger.sql) } ?? false
            if !same || gone.contains(trigger.table.lowercased()) || !DatabaseSchema.mentioned(Array(gone), in: trigger.sql).isEmpty {
                try run("DROP TRIGGER \(SQLIdentifier.quoteIfNeeded(trigger.name))")
            }
        }
        for view in current.views where goneViews.contains(view.name.lowercased()) {
            try run("DROP VIEW \(SQLIdentifier.quoteIfNeeded(view.name))")
        }
        // A dropped table takes its indexes along; a rebuilt one loses them and gets the desired ones back.
        let droppedNames = Set(dropped.map { $0.name.lowercased() })
        let wantedIndexes = Self.byName(desired.indexes, \.name)
        for index in current.indexes where index.sql != nil && !droppedNames.contains(index.table.lowercased()) {
            if wantedIndexes[index.name.lowercased()].map({ !SQLText.same($0.sql ?? "", index.sql ?? "") }) ?? true {
                try run("DROP INDEX \(SQLIdentifier.quoteIfNeeded(index.name))")
            }
        }
        for table in dropped {
            losesData = true
            try run("DROP TABLE \(SQLIdentifier.quoteIfNeeded(table.name))")
        }
        for table in DatabaseSchema.ordered(added, name: \.name, dependsOn: { $0.foreignKeys.map(\.parent) }) {
            try run(table.sql)
        }
        for table in changed {
            let wanted = wantedTables[table.name.lowercased()]!
            if try !alterInPlace(table, to: wanted) { try rebuild(table, as: wanted) }
        }
        try createMissing()
        if try scratch.scalar("PRAGMA user_version")?.int != Int64(desired.userVersion) {
            try run("PRAGMA user_version = \(desired.userVersion)")
        }
    }

    /// Objects by lowercased name (SQLite's names ignore case), for lookups that would otherwise scan.
    static func byName<T>(_ items: [T], _ name: (T) -> String) -> [String: T] {
        Dictionary(items.map { (name($0).lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Creates the desired indexes, views and triggers the scratch schema lacks.
    private func createMissing() throws {
        let have = try now(.definitions)
        let texts = Set(have.indexes.compactMap(\.sql))
        lazy var indexes = Set(texts.map(SQLText.normalized))
        for index in desired.indexes where index.sql != nil && !texts.contains(index.sql!) && !indexes.contains(SQLText.normalized(index.sql!)) {
            try run(index.sql!)
        }
        let views = Set(have.views.map { $0.name.lowercased() })
        let names = desired.views.map { $0.name.lowercased() }
        for view in DatabaseSchema.ordered(desired.views, name: \.name, dependsOn: { DatabaseSchema.mentioned(names, in: $0.sql) })
        where !views.contains(view.name.lowercased()) {
            try run(view.sql)
        }
        let triggers = Set(have.triggers.map { $0.name.lowercased() })
        for trigger in desired.triggers.sorted(by: { $0.name.lowercased() < $1.name.lowercased() })
        where !triggers.contains(trigger.name.lowercased()) {
            try run(trigger.sql)
        }
    }

    /// The `--rename` hints, run first so that the rest compares like with like.
    private func rename(_ renames: [SchemaRename]) throws {
        for hint in renames where hint.table == nil {
            try run("ALTER TABLE \(SQLIdentifier.quoteIfNeeded(hint.old)) RENAME TO \(SQLIdentifier.quoteIfNeeded(hint.new))")
        }
        for hint in renames {
            guard let table = hint.table else { continue }
            try run("ALTER TABLE \(SQLIdentifier.quoteIfNeeded(table)) RENAME COLUMN \(SQLIdentifier.quoteIfNeeded(hint.old)) TO \(SQLIdentifier.quoteIfNeeded(hint.new))")
        }
    }

    /// A drop beside an add may be a rename: say how to write it as one.
    private func noteRenames(dropped: [SchemaTable], added: [SchemaTable], changed: [SchemaTable]) {
        if let old = dropped.first, let new = added.first {
            notes.append("If \(old.name) was renamed to \(new.name), run diff again with --rename \(old.name):\(new.name) "
                + "(ALTER TABLE … RENAME TO keeps its rows; DROP TABLE does not).")
        }
        for table in changed {
            guard let wanted = desired.table(table.name) else { continue }
            let old = table.columns.first { wanted.column($0.name) == nil }
            let new = wanted.columns.first { table.column($0.name) == nil }
            if let old, let new {
                notes.append("If \(table.name).\(old.name) was renamed to \(new.name), run diff again with "
                    + "--rename \(table.name).\(old.name):\(new.name) (RENAME COLUMN keeps its values).")
            }
        }
    }
}
