import SQLiteKit

/// The tables a migration writes, as SQLite's authorizer reports them while
/// each statement is prepared (trigger bodies included). It tells which
/// foreign keys can have been broken, so the check after a migration reads
/// only the tables that could hold a violation.
struct TableWrites: Sendable, Equatable {
    var created: Set<String> = []
    var dropped: Set<String> = []
    /// ALTER TABLE, reported without saying whether it renamed the table or a column.
    var altered: Set<String> = []
    var inserted: Set<String> = []
    var deleted: Set<String> = []
    var updated: [String: Set<String>] = [:]

    var isEmpty: Bool {
        created.isEmpty && dropped.isEmpty && altered.isEmpty && inserted.isEmpty && deleted.isEmpty && updated.isEmpty
    }

    /// Adds one statement's accesses. `replaces()` is asked only for statements
    /// that insert or update: INSERT OR REPLACE deletes rows without reporting it.
    mutating func add(_ events: [AuthorizerEvent], ignoring table: String, replaces: () -> Bool) {
        for event in events where event.database == nil || event.database == "main" {
            switch event.action {
            case .insert(let t) where Self.counts(t, ignoring: table):
                inserted.insert(t.lowercased())
                if replaces() { deleted.insert(t.lowercased()) }
            case .delete(let t) where Self.counts(t, ignoring: table):
                deleted.insert(t.lowercased())
            case .update(let t, let column) where Self.counts(t, ignoring: table):
                updated[t.lowercased(), default: []].insert(column.lowercased())
                if replaces() { deleted.insert(t.lowercased()) }
            case .createTable(let t) where Self.counts(t, ignoring: table):
                created.insert(t.lowercased())
            case .dropTable(let t) where Self.counts(t, ignoring: table):
                dropped.insert(t.lowercased())
            case .alterTable(let t) where Self.counts(t, ignoring: table):
                altered.insert(t.lowercased())
            default:
                // Indexes, triggers and views cannot break a foreign key.
                break
            }
        }
    }

    /// SQLite's own tables (sqlite_master, sqlite_sequence), slipway's and the tracking table hold no foreign keys.
    private static func counts(_ name: String, ignoring table: String) -> Bool {
        SchemaObject.isUsers(name, excluding: table)
    }
}
