import SQLiteKit

/// The tables a migration writes, as SQLite's authorizer reports them while
/// each statement is prepared (trigger bodies included). It tells which
/// foreign keys can have been broken, so the check after a migration reads
/// only the tables that could hold a violation.
struct TableWrites: Sendable, Equatable {
    var schemaChanged = false
    var inserted: Set<String> = []
    var deleted: Set<String> = []
    var updated: [String: Set<String>] = [:]

    var isEmpty: Bool { !schemaChanged && inserted.isEmpty && deleted.isEmpty && updated.isEmpty }

    /// Adds one statement's accesses. `replaces` marks INSERT OR REPLACE-style
    /// statements, whose implicit deletes the authorizer does not report.
    mutating func add(_ events: [AuthorizerEvent], replaces: Bool, ignoring table: String) {
        let ignored = table.lowercased()
        for event in events where event.database == nil || event.database == "main" {
            switch event.action {
            case .insert(let t) where t.lowercased() != ignored:
                inserted.insert(t.lowercased())
                if replaces { deleted.insert(t.lowercased()) }
            case .delete(let t) where t.lowercased() != ignored:
                deleted.insert(t.lowercased())
            case .update(let t, let column) where t.lowercased() != ignored:
                updated[t.lowercased(), default: []].insert(column.lowercased())
                if replaces { deleted.insert(t.lowercased()) }
            case .schema:
                schemaChanged = true
            default:
                break
            }
        }
    }
}
