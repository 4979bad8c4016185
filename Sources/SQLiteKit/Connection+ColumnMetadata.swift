import CSQLite

extension Connection {
    /// A column's collating sequence from SQLite's in-memory schema
    /// (`sqlite3_table_column_metadata`): no pragma reports it. Nil for a
    /// missing table or column.
    public func collation(of column: String, in table: String, schema: String = "main") throws -> String? {
        var collation: UnsafePointer<CChar>?
        let rc = sqlite3_table_column_metadata(handle, schema, table, column, nil, &collation, nil, nil, nil)
        if rc == SQLITE_ERROR { return nil }
        if rc != SQLITE_OK { throw lastError(rc, sql: nil) }
        return collation.map { String(cString: $0) }
    }
}
