import CSQLite

/// A failed SQLite call: the result code, SQLite's own message, and the SQL it was running.
///
/// `offset` is the byte offset SQLite reports for the error inside `sql`
/// (`sqlite3_error_offset`, SQLite ≥ 3.38), when it knows one.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int32
    public var extendedCode: Int32
    public var message: String
    public var sql: String?
    public var offset: Int?

    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil, offset: Int? = nil) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
        self.offset = offset
    }

    /// The primary result code named, e.g. `SQLITE_BUSY`.
    public var codeName: String {
        switch code {
        case SQLITE_BUSY: "SQLITE_BUSY"
        case SQLITE_LOCKED: "SQLITE_LOCKED"
        case SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT"
        case SQLITE_CORRUPT: "SQLITE_CORRUPT"
        case SQLITE_NOTADB: "SQLITE_NOTADB"
        case SQLITE_CANTOPEN: "SQLITE_CANTOPEN"
        case SQLITE_READONLY: "SQLITE_READONLY"
        case SQLITE_INTERRUPT: "SQLITE_INTERRUPT"
        case SQLITE_FULL: "SQLITE_FULL"
        case SQLITE_IOERR: "SQLITE_IOERR"
        case SQLITE_ERROR: "SQLITE_ERROR"
        default: "SQLite error \(code)"
        }
    }

    /// Another connection holds the lock we need (after the busy timeout ran out).
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    /// `sqlite3_interrupt` stopped the statement.
    public var isInterrupt: Bool { code == SQLITE_INTERRUPT }
    /// The file is not a database, or its pages are damaged.
    public var isNotADatabase: Bool { code == SQLITE_NOTADB || code == SQLITE_CORRUPT }

    public var description: String { "\(message) (\(codeName))" }
}
