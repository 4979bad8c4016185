import SQLiteKit

/// Whether a `transaction:false` migration's statements change no schema object and no
/// row — VACUUM, ANALYZE, REINDEX, `PRAGMA optimize`, `wal_checkpoint`, `journal_mode` —
/// so that its reverse is "nothing to undo", known before it runs. Decided by SQLite:
/// each statement is prepared (on an empty in-memory database, never the real one) and
/// the authorizer says what it would touch; a statement that does not prepare there
/// (it names a table) counts as a change. At apply time the migrator checks it again on
/// the real database: no row written, the same schema after.
enum NoOpMaintenance {
    static func changesNothing(_ sql: String) -> Bool {
        guard let db = try? Connection(path: ":memory:") else { return false }
        var touches = false
        db.setAuthorizer { event in
            switch event.action {
            case .insert(let t), .delete(let t), .update(let t, _), .createTable(let t), .dropTable(let t), .alterTable(let t),
                 .createView(let t), .dropView(let t), .virtualTable(let t):
                if !t.lowercased().hasPrefix("sqlite_") { touches = true }
            case .createIndex, .dropIndex, .createTrigger, .dropTrigger:
                touches = true
            case .pragma(let name, let argument):
                // A pragma that sets a value the database keeps (user_version, application_id…) changes it;
                // journal_mode, wal_checkpoint, optimize, *_check and the like do not change what it holds.
                if argument != nil, !Self.harmlessPragmas.contains(name.lowercased()) { touches = true }
            case .read, .transaction, .savepoint, .other: break
            }
        }
        defer { db.setAuthorizer(nil) }
        let script = SQLScript(sql)
        do {
            while let statement = try script.next(on: db) { _ = statement }
        } catch {
            return false
        }
        return !touches
    }

    static let harmlessPragmas: Set<String> = [
        "journal_mode", "wal_checkpoint", "optimize", "integrity_check", "quick_check", "foreign_key_check",
        "incremental_vacuum", "shrink_memory", "analysis_limit", "busy_timeout", "cache_size", "synchronous",
        "temp_store", "mmap_size", "locking_mode",
    ]
}
