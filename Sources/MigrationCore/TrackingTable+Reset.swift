import SQLiteKit

extension TrackingTable {
    /// Deletes the row of one migration so it runs again (the old `migration-reset.mjs`).
    /// Throws `unknownMigration` when no row has exactly that name.
    public func reset(_ filename: String, opener: DatabaseOpener) throws(MigrationError) {
        guard let db = try opener.openForReading(), (try? columns(on: db)) ?? nil != nil else {
            throw .unknownMigration(filename, detail: "the database has no \(name) table")
        }
        let writer = try opener.openForWriting()
        let deleted: Bool
        do {
            try writer.execute("BEGIN IMMEDIATE")
            // What rollback kept for it describes a run that is now forgotten.
            try RollbackStore(db: writer, table: self).dropCopies(of: filename)
            deleted = try delete(filename, on: writer)
            try writer.execute("COMMIT")
        } catch {
            if !writer.isAutocommit { try? writer.execute("ROLLBACK") }
            throw opener.classify(error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)"), while: "resetting \(filename)")
        }
        if !deleted { throw .unknownMigration(filename, detail: "no row in \(name) has exactly that filename (see `slipway status`)") }
    }
}
