import CSQLite

/// One open SQLite database. Not thread-safe: use it from one task at a time.
///
/// Every `sqlite3_*` call of the project goes through this module, so that the
/// layers above see Swift values and `SQLiteError`s only.
public final class Connection {
    public enum Mode: Sendable {
        case readOnly
        case readWrite
        /// Creates the file if it does not exist.
        case readWriteCreate
    }

    let handle: OpaquePointer
    public let path: String
    var progress: ProgressBox?
    var authorizer: AuthorizerBox?
    private var cache: [String: Statement] = [:]

    /// Process-wide settings, applied once before the first connection opens.
    private static let configured: Void = { _ = csqlite_disable_memstatus() }()

    public init(path: String, mode: Mode = .readWriteCreate) throws {
        _ = Self.configured
        // NOMUTEX: a connection is used by one thread at a time (the type is not
        // Sendable), so SQLite's per-connection mutex is pure cost.
        // `sqlite3_interrupt` stays safe from other threads in this mode.
        var flags: Int32 = SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc & 0xff, extendedCode: rc, message: message)
        }
        self.handle = db
        self.path = path
    }

    deinit { sqlite3_close_v2(handle) }

    /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int) {
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
    }

    /// Prepares exactly one statement. Text after it other than comments and
    /// whitespace is refused: `sqlite3_prepare_v2` would silently ignore it, so a
    /// second statement would never run. Several statements go through `execute`.
    public func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        var extra = false
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, text, -1, &stmt, &tail)
            if rc == SQLITE_OK, let tail { extra = hasStatement(tail) }
            return rc
        }
        try check(rc, sql: sql)
        guard let stmt else { throw SQLiteError(code: SQLITE_MISUSE, message: "no statement in SQL", sql: sql) }
        guard !extra else {
            sqlite3_finalize(stmt)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one statement in SQL given to prepare (use execute)", sql: sql)
        }
        return Statement(handle: stmt, connection: self)
    }

    /// Whether `text` holds a statement, asked of SQLite's parser: a stretch that
    /// prepares to nothing is comments or whitespace; one that fails to prepare is text.
    private func hasStatement(_ text: UnsafePointer<CChar>) -> Bool {
        var rest = text
        while rest.pointee != 0 {
            var stmt: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, rest, -1, &stmt, &tail)
            if stmt != nil { sqlite3_finalize(stmt) }
            guard rc == SQLITE_OK, stmt == nil, let tail, tail > rest else { return true }
            rest = tail
        }
        return false
    }

    /// A prepared statement kept for the life of the connection, for SQL that runs
    /// once per migration (BEGIN, COMMIT, tracking-table reads and writes).
    public func cached(_ sql: String) throws -> Statement {
        if let statement = cache[sql] { return statement }
        let statement = try prepare(sql)
        cache[sql] = statement
        return statement
    }

    /// Runs every statement of `sql`, discarding rows.
    public func execute(_ sql: String) throws {
        let script = SQLScript(sql)
        while let next = try script.next(on: self) { try next.statement.run() }
    }

    /// Runs one statement with bound values and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        try prepare(sql).bind(values).rows()
    }

    /// First column of the first row, or nil.
    public func scalar(_ sql: String, _ values: [SQLiteValue] = []) throws -> SQLiteValue? {
        try query(sql, values).first?.first
    }

    /// `scalar` through the statement cache: for a query asked again and again in a run
    /// (preparing it can cost more than running it). Reset after, so it holds no read.
    public func cachedScalar(_ sql: String, _ values: [SQLiteValue] = []) throws -> SQLiteValue? {
        let statement = try cached(sql).bind(values)
        defer { statement.reset() }
        return try statement.step() ? statement.value(at: 0) : nil
    }

    /// Whether `schema` has a table (ordinary or virtual; not a view) named `name`,
    /// in any case. Asks SQLite's in-memory schema: no statement is prepared, so
    /// it costs the same after a schema change (which re-prepares statements).
    public func hasTable(_ name: String, schema: String = "main") throws -> Bool {
        let rc = sqlite3_table_column_metadata(handle, schema, name, nil, nil, nil, nil, nil, nil)
        if rc == SQLITE_OK { return true }
        if rc == SQLITE_ERROR { return false }  // "no such table"
        throw lastError(rc, sql: nil)
    }

    /// Whether `table` has an INTEGER PRIMARY KEY AUTOINCREMENT (whose counter
    /// lives in `sqlite_sequence`), from the in-memory schema. The rowid is
    /// looked up by its three names, so a column that takes one of them does
    /// not hide it; false for a missing table, a view or a WITHOUT ROWID table.
    public func hasAutoincrement(_ table: String, schema: String = "main") throws -> Bool {
        try rowidIsAutoincrement(table, schema: schema) == true
    }

    /// The rowid looked up by its three names in the in-memory schema: nil when one of
    /// them names nothing (no table, a view, WITHOUT ROWID), else whether it is AUTOINCREMENT.
    private func rowidIsAutoincrement(_ table: String, schema: String) throws -> Bool? {
        var found = false
        for alias in ["rowid", "oid", "_rowid_"] {
            var autoincrement: Int32 = 0
            let rc = sqlite3_table_column_metadata(handle, schema, table, alias, nil, nil, nil, nil, &autoincrement)
            if rc == SQLITE_ERROR { return nil }
            if rc != SQLITE_OK { throw lastError(rc, sql: nil) }
            found = found || autoincrement != 0
        }
        return found
    }

    /// The CREATE TABLE statement of `table` as SQLite stores it (names ignore case);
    /// nil for a missing table or a view.
    public func createStatement(ofTable table: String) throws -> String? {
        try cached("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE").bind([.text(table)])
            .rows().first?.first?.string
    }

    /// The names of `table`'s columns in order (`pragma_table_info`: hidden columns left
    /// out); empty for a missing table.
    public func columnNames(of table: String) throws -> [String] {
        try cached("SELECT name FROM pragma_table_info(?) ORDER BY cid").bind([.text(table)]).rows().compactMap { $0.first?.string }
    }

    /// Whether `table` has a rowid (is not WITHOUT ROWID), from the in-memory schema:
    /// the rowid answers to all three of its names unless real columns take them all.
    /// False for a missing table or a view.
    public func hasRowid(_ table: String, schema: String = "main") throws -> Bool {
        try rowidIsAutoincrement(table, schema: schema) != nil
    }

    /// True outside an explicit transaction.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Rows changed since the connection opened, by every statement and the triggers it fired
    /// (not REPLACE's deletions, not foreign key actions).
    public var totalChanges: Int64 { sqlite3_total_changes64(handle) }

    func check(_ rc: Int32, sql: String?) throws {
        guard rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE else { return }
        throw lastError(rc, sql: sql)
    }

    func lastError(_ rc: Int32, sql: String?) -> SQLiteError {
        let message = String(cString: sqlite3_errmsg(handle))
        let offset = Int(sqlite3_error_offset(handle))
        return SQLiteError(
            code: rc & 0xff, extendedCode: sqlite3_extended_errcode(handle), message: message,
            sql: sql, offset: offset >= 0 ? offset : nil)
    }
}
