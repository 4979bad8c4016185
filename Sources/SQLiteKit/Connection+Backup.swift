import CSQLite

extension Connection {
    /// Writes a consistent copy of the main database to `path` with SQLite's
    /// online backup API (https://sqlite.org/backup.html). The copy is taken in
    /// one step under a read lock, so it never mixes two states.
    public func backup(to path: String) throws {
        try backup(to: Connection(path: path, mode: .readWriteCreate))
    }

    /// The same copy into an open connection (an in-memory scratch database), replacing what it held.
    public func backup(to destination: Connection) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.lastError(sqlite3_errcode(destination.handle), sql: nil)
        }
        let rc = sqlite3_backup_step(backup, -1)
        let finish = sqlite3_backup_finish(backup)
        if rc != SQLITE_DONE { throw lastError(rc, sql: nil) }
        try destination.check(finish, sql: nil)
    }
}
