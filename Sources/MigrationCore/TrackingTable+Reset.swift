import SQLiteKit

extension TrackingTable {
    /// Deletes the row of one migration so it runs again (the old `migration-reset.mjs`).
    /// `name` is a recorded filename, or its number (`008`, as `rollback --to` takes it).
    /// Throws `unknownMigration` when no row has that name, or several have that number.
    /// Returns the filename it reset.
    @discardableResult
    public func reset(_ name: String, opener: DatabaseOpener) throws(MigrationError) -> String {
        guard let db = try opener.openForReading() else {
            throw .invalidDatabase(path: opener.path, reason: "it does not exist (check --db or database.path)")
        }
        guard (try? columns(on: db)) ?? nil != nil else {
            throw .unknownMigration(name, detail: "the database has no \(self.name) table")
        }
        let recorded = (try? rows(on: db).map(\.filename)) ?? []
        // The exact filename, or a number (`008`); never a name without its `.sql`.
        let matches = recorded.contains(name) ? [name] : UInt64(name) == nil ? [] : MigrationLookup.matches(name, among: recorded)
        if matches.count > 1 {
            throw .unknownMigration(name, detail: "several rows have that number (\(matches.joined(separator: ", "))): give the filename")
        }
        let filename = matches.first ?? name
        let writer = try opener.openForWriting()
        let deleted = try opener.transaction(writer, "resetting \(filename)") { () throws(MigrationError) in
            try opener.run("resetting \(filename)") {
                // What rollback kept for it describes a run that is now forgotten.
                try RollbackStore(db: writer, table: self).dropCopies(of: filename)
                return try delete(filename, on: writer)
            }
        }
        if !deleted { throw .unknownMigration(name, detail: "no row in \(self.name) has that filename or number (see `slipway status`)") }
        return filename
    }
}
