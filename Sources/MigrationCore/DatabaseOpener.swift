import SQLiteKit

/// Opens the database a command works on, refusing anything that is not a
/// SQLite database before SQLite can write to it.
public struct DatabaseOpener: Sendable {
    public var path: String
    /// How long to wait for another connection's lock.
    public var busyTimeoutMilliseconds: Int

    public init(path: String, busyTimeoutMilliseconds: Int = 60_000) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// Opens read-only. Returns nil when the file does not exist (nothing is created).
    public func openForReading() throws(MigrationError) -> Connection? {
        guard try inspect(creating: false) else { return nil }
        return try open(.readOnly)
    }

    /// Opens read-write, creating the file when it is missing and its folder exists.
    public func openForWriting() throws(MigrationError) -> Connection {
        _ = try inspect(creating: true)
        return try open(.readWriteCreate)
    }

    /// True when a file is there to open.
    private func inspect(creating: Bool) throws(MigrationError) -> Bool {
        switch DatabaseFile.inspect(path) {
        case .sqlite, .empty:
            return true
        case .missing:
            if creating {
                let folder = FileSystem.parent(of: path)
                guard FileSystem.kind(folder) == .directory else {
                    throw .invalidDatabase(path: path, reason: "its folder '\(folder)' does not exist")
                }
            }
            return false
        case .directory:
            throw .invalidDatabase(path: path, reason: "it is a directory")
        case .notSQLite(let why):
            throw .invalidDatabase(path: path, reason: why)
        case .unreadable(let why):
            throw .invalidDatabase(path: path, reason: why)
        }
    }

    private func open(_ mode: Connection.Mode) throws(MigrationError) -> Connection {
        do {
            let db = try Connection(path: path, mode: mode)
            db.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            // A first read proves the pages are a database (the header alone does not).
            _ = try db.scalar("SELECT count(*) FROM sqlite_master")
            return db
        } catch let error as SQLiteError {
            throw classify(error, while: "opening the database")
        } catch {
            throw .sqlite(SQLiteError(code: 1, message: "\(error)"), while: "opening the database")
        }
    }

    /// Maps SQLite's busy and corrupt codes to the errors users act on.
    public func classify(_ error: SQLiteError, while doing: String) -> MigrationError {
        if error.isInterrupt { return .interrupted(file: nil) }
        if error.isBusy { return .databaseBusy(path: path, waitedMilliseconds: busyTimeoutMilliseconds) }
        if error.isNotADatabase { return .invalidDatabase(path: path, reason: error.message) }
        return .sqlite(error, while: doing)
    }

    /// Runs `body` on this database and maps SQLite's errors to `MigrationError`
    /// (busy, not a database, or SQLite's message with what was being done).
    public func run<T>(_ doing: String, _ body: () throws -> T) throws(MigrationError) -> T {
        do {
            return try body()
        } catch let error as MigrationError {
            throw error
        } catch let error as SQLiteError {
            throw classify(error, while: doing)
        } catch {
            throw .sqlite(SQLiteError(code: 1, message: "\(error)"), while: doing)
        }
    }

    /// `BEGIN IMMEDIATE` … `COMMIT`, rolled back on any error. IMMEDIATE takes the
    /// write lock up front, so two runs never both read "pending" and then write.
    public func transaction<T>(_ db: Connection, _ doing: String, _ body: () throws(MigrationError) -> T) throws(MigrationError) -> T {
        try run(doing) { try db.transaction(.immediate) { try body() } }
    }
}
