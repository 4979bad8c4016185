import CSQLite

/// One prepared statement. Owns its `sqlite3_stmt` and finalizes it on deinit.
public final class Statement {
    @usableFromInline let handle: OpaquePointer
    unowned let connection: Connection

    init(handle: OpaquePointer, connection: Connection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// The statement's SQL as SQLite stored it.
    public var sql: String { sqlite3_sql(handle).map { String(cString: $0) } ?? "" }

    @discardableResult
    public func bind(_ values: [SQLiteValue]) throws -> Statement {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, csqlite_transient())
            case .blob(let v):
                rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient()) }
            }
            try connection.check(rc, sql: sql)
        }
        return self
    }

    /// Advances one row. Returns false when the statement is done.
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            try connection.check(rc, sql: sql)
            return false
        }
    }

    /// Ends the current run, so that a cached statement holds no read on its tables.
    public func reset() { sqlite3_reset(handle) }

    /// Runs the statement to completion, discarding rows.
    public func run() throws {
        while try step() {}
        sqlite3_reset(handle)
    }

    /// All rows, each as an array of column values.
    public func rows() throws -> [[SQLiteValue]] {
        var result: [[SQLiteValue]] = []
        while try step() { result.append(currentRow()) }
        sqlite3_reset(handle)
        return result
    }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func currentRow() -> [SQLiteValue] { (0..<columnCount).map(value(at:)) }

    public func value(at i: Int) -> SQLiteValue {
        let col = Int32(i)
        switch sqlite3_column_type(handle, col) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, col))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, col))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(handle, col)))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(handle, col))
            guard n > 0, let p = sqlite3_column_blob(handle, col) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .null
        }
    }
}

extension Statement {
    /// The current row's values as SQLite holds them, without making Swift values:
    /// `body` gets each column's storage class (SQLITE_INTEGER …) and its bytes
    /// (integers and reals as 8 little-endian bytes, text as UTF-8, NULL as none).
    /// For hashing large tables, where building a `SQLiteValue` per cell dominates
    /// (inlinable: the caller's closure is then inlined too, for every cell).
    @inlinable
    public func forEachRawValue(_ body: (Int32, UnsafeRawBufferPointer) -> Void) {
        for col in 0..<sqlite3_column_count(handle) {
            let type = sqlite3_column_type(handle, col)
            switch type {
            case SQLITE_INTEGER:
                var v = sqlite3_column_int64(handle, col).littleEndian
                withUnsafeBytes(of: &v) { body(type, $0) }
            case SQLITE_FLOAT:
                var v = sqlite3_column_double(handle, col).bitPattern.littleEndian
                withUnsafeBytes(of: &v) { body(type, $0) }
            case SQLITE_TEXT:
                let p = sqlite3_column_text(handle, col)
                let n = Int(sqlite3_column_bytes(handle, col))
                body(type, UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
            case SQLITE_BLOB:
                let p = sqlite3_column_blob(handle, col)
                let n = Int(sqlite3_column_bytes(handle, col))
                body(type, UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
            default:
                body(type, UnsafeRawBufferPointer(start: nil, count: 0))
            }
        }
    }
}
