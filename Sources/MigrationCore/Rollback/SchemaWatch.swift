import SQLiteKit

/// The schema objects one migration creates, and the ones it changes or drops
/// as they were before it. Objects are read only when a statement is about to
/// drop, alter or rename them: new objects are known by name from the
/// authorizer, and existence checks use SQLite's in-memory schema (pragmas),
/// so a migration that only adds things never scans `sqlite_master`.
final class SchemaWatch {
    struct Key: Hashable, Codable { var type: String, name: String }

    let db: Connection
    let excluded: String
    let facts: TableFacts
    private(set) var before: [Key: SchemaObject] = [:]
    private(set) var created: [Key] = []
    private var known: Set<Key> = []
    private var capturedTables: Set<String> = []
    private var sweptReferences = false

    init(db: Connection, excluding trackingTable: String, facts: TableFacts) {
        self.db = db
        self.facts = facts
        self.excluded = trackingTable.lowercased()
    }

    /// Looks at one statement's authorizer events before the statement runs.
    func willRun(_ events: [AuthorizerEvent], sql: @autoclosure () -> String, alter: () -> AlterStatement) throws {
        // Only CREATE … IF NOT EXISTS can name something that exists already (and do nothing).
        var mayExist: Bool?
        func ifNotExists() -> Bool {
            if mayExist == nil { mayExist = SQLWords.mentions(sql(), "exists") }
            return mayExist!
        }
        for event in events where event.database == nil || event.database == "main" {
            switch event.action {
            case .createTable(let t): try noteCreated("table", t) { try ifNotExists() && self.tableType(t) != nil }
            case .createView(let v): try noteCreated("view", v) { try ifNotExists() && self.tableType(v) != nil }
            case .createIndex(let n, let t): try noteCreated("index", n) { try ifNotExists() && self.indexExists(n, on: t) }
            case .createTrigger(let n, _):
                try noteCreated("trigger", n) { try ifNotExists() && !self.read("name = ? COLLATE NOCASE AND type = 'trigger'", [.text(n)]).isEmpty }
            case .dropTable(let t): try captureTable(t)
            case .alterTable(let t):
                try captureTable(t)
                switch alter() {
                case .renameTable(let to):
                    try captureEverythingThatNamesTables()
                    // What goes by the new name is this table, already captured under its old name.
                    capturedTables.insert(to.lowercased())
                    known.insert(Key(type: "table", name: to.lowercased()))
                case .renameColumn, .unknown: try captureEverythingThatNamesTables()
                case .addColumn, .dropColumn: break
                }
            case .dropView(let v): try capture("view", v)
            case .dropIndex(let n, _): try capture("index", n)
            case .dropTrigger(let n, _): try capture("trigger", n)
            default: break
            }
        }
    }

    func tableType(_ name: String) throws -> String? { try facts.of(name, on: db).type }

    private func indexExists(_ name: String, on table: String) throws -> Bool {
        try db.cached("SELECT 1 FROM pragma_index_list(?) WHERE lower(name) = lower(?)").bind([.text(table), .text(name)]).rows().first != nil
    }

    private func noteCreated(_ type: String, _ name: String, exists: () throws -> Bool) throws {
        let key = Key(type: type, name: name.lowercased())
        guard !ignored(name), !known.contains(key) else { return }
        known.insert(key)
        if try !exists() { created.append(key) }  // else IF NOT EXISTS made it a no-op
    }

    /// A table, its indexes and triggers, as they are now (before the statement runs).
    private func captureTable(_ table: String) throws {
        let lower = table.lowercased()
        guard !ignored(table), capturedTables.insert(lower).inserted else { return }
        store(try read("tbl_name = ? COLLATE NOCASE", [.text(lower)]))
        known.insert(Key(type: "table", name: lower))
    }

    private func capture(_ type: String, _ name: String) throws {
        let key = Key(type: type, name: name.lowercased())
        guard !ignored(name), !known.contains(key) else { return }
        store(try read("name = ? COLLATE NOCASE AND type = ?", [.text(key.name), .text(type)]))
        known.insert(key)
    }

    /// ALTER … RENAME rewrites views, triggers and other tables' foreign keys.
    private func captureEverythingThatNamesTables() throws {
        guard !sweptReferences else { return }
        sweptReferences = true
        store(try read("type IN ('view', 'trigger') OR (type = 'table' AND sql LIKE '%references%')", []))
    }

    private func store(_ objects: [SchemaObject]) {
        for o in objects {
            let key = Key(type: o.type, name: o.name.lowercased())
            if known.insert(key).inserted { before[key] = o }
        }
    }

    private func ignored(_ name: String) -> Bool { !SchemaObject.isUsers(name, excluding: excluded) }

    private func read(_ condition: String, _ values: [SQLiteValue]) throws -> [SchemaObject] {
        try SchemaObject.read(db, where: condition, values, excluding: excluded)
    }
}
