import SQLiteKit

extension ReverseStepRunner {
    /// The rebuild's fast path, for a table the migration only added columns to (at
    /// the end, as ADD COLUMN puts them): `ALTER TABLE … DROP COLUMN` for each, newest
    /// first. SQLite rewrites a row there only when its record changes, so rows stored
    /// before the ADD COLUMN (which never held the value) are read but not written,
    /// where a rebuild copies every row and leaves the old table's pages free (a 1 GiB
    /// table doubled the file). Taken only when the result is exactly the rebuild's:
    /// the drops are tried first on a scratch database holding the table's text alone,
    /// and must give the old text byte for byte; on the real table they run inside a
    /// savepoint, and anything else naming a column (an index the migration did not
    /// make, say) sends the table back to the savepoint and to the rebuild.
    /// `oldColumns` and `newColumns`: the rebuild's own reading of both definitions.
    func dropAddedColumns(of table: String, now: String, old: String, oldColumns: [String], newColumns: [String]) throws -> Bool {
        guard newColumns.count > oldColumns.count,
              zip(oldColumns, newColumns).allSatisfy({ $0.lowercased() == $1.lowercased() }),
              try Self.dropsGive(old, from: now, dropping: newColumns[oldColumns.count...])
        else { return false }
        try db.execute("SAVEPOINT _slipway_drop_columns")
        do {
            for column in newColumns[oldColumns.count...].reversed() {
                try db.execute("ALTER TABLE \(SQLIdentifier.quote(table)) DROP COLUMN \(SQLIdentifier.quote(column))")
            }
            guard try db.createStatement(ofTable: table) == old else { throw SQLiteError(code: 1, message: "another text") }
            try db.execute("RELEASE _slipway_drop_columns")
            return true
        } catch {
            try db.execute("ROLLBACK TO _slipway_drop_columns")
            try db.execute("RELEASE _slipway_drop_columns")
            return false
        }
    }

    /// Whether dropping `columns` (newest first) from a table created by `now` leaves exactly `old`.
    private static func dropsGive(_ old: String, from now: String, dropping columns: ArraySlice<String>) throws -> Bool {
        let scratch = try Connection(path: ":memory:")
        do {
            try scratch.execute(now)
            guard let name = try scratch.scalar("SELECT name FROM sqlite_master WHERE type = 'table'")?.string else { return false }
            for column in columns.reversed() {
                try scratch.execute("ALTER TABLE \(SQLIdentifier.quote(name)) DROP COLUMN \(SQLIdentifier.quote(column))")
            }
            return try scratch.createStatement(ofTable: name) == old
        } catch {
            return false  // a column SQLite will not drop (a key, UNIQUE, in a CHECK or a generated column)
        }
    }
}
