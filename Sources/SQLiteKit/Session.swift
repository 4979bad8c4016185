import CSQLite

/// Records the row changes made through a connection (SQLite's session
/// extension, https://sqlite.org/sessionintro.html), so that they can be
/// inverted later. Only tables with a declared PRIMARY KEY are recorded.
public final class Session {
    private let handle: OpaquePointer
    private let filter: FilterBox

    final class FilterBox {
        let include: (String) -> Bool
        /// Tables `include` left out, by the name SQLite passed: a pointer into its schema,
        /// the same for every row a statement changes (see `forgetFilterAnswers`).
        var leftOut: [UnsafePointer<CChar>] = []
        init(_ include: @escaping (String) -> Bool) { self.include = include }

        func answer(_ table: UnsafePointer<CChar>) -> Bool {
            if leftOut.contains(table) { return false }
            if include(String(cString: table)) { return true }
            if leftOut.count < 16 { leftOut.append(table) }
            return false
        }
    }

    /// Starts recording every table of "main" for which `include` returns true.
    /// SQLite asks at each change of a table not recorded yet; a table once
    /// included is recorded from then on.
    public init(on db: Connection, include: @escaping (String) -> Bool) throws {
        var session: OpaquePointer?
        let rc = sqlite3session_create(db.handle, "main", &session)
        guard rc == SQLITE_OK, let session else { throw db.lastError(rc, sql: nil) }
        handle = session
        filter = FilterBox(include)
        sqlite3session_table_filter(handle, { ctx, table in
            guard let ctx, let table else { return 0 }
            return Unmanaged<FilterBox>.fromOpaque(ctx).takeUnretainedValue().answer(table) ? 1 : 0
        }, Unmanaged.passUnretained(filter).toOpaque())
        let attached = sqlite3session_attach(handle, nil)
        if attached != SQLITE_OK {
            sqlite3session_delete(handle)
            throw db.lastError(attached, sql: nil)
        }
    }

    deinit { sqlite3session_delete(handle) }

    /// Forgets which tables the filter left out. Call before each statement: `include`'s
    /// answer may change between statements, and a schema change may reuse a name's memory.
    public func forgetFilterAnswers() { filter.leftOut.removeAll(keepingCapacity: true) }

    /// Whether this SQLite's sessions see the true old values of rows stored
    /// before an `ALTER TABLE … ADD COLUMN … DEFAULT x`. Such rows are stored
    /// without the new column; some SQLite versions (3.40, Debian 12's among
    /// them) hand the preupdate hook NULL for it instead of x, so the inverse
    /// of an UPDATE or DELETE would write NULL there. Found out once, on a
    /// scratch in-memory database.
    public static let seesAddedColumnDefaults: Bool = {
        do {
            let db = try Connection(path: ":memory:")
            try db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY); INSERT INTO p VALUES (1); ALTER TABLE p ADD COLUMN d DEFAULT 7")
            let session = try Session(on: db) { _ in true }
            try db.execute("DELETE FROM p")
            try db.applyInverse(of: try session.changeset()) { _ in true }
            return try db.scalar("SELECT d FROM p")?.int == 7
        } catch {
            return false
        }
    }()

    /// Whether changes are being recorded now. Turned off around a statement
    /// whose changes the caller knows it will never need to invert
    /// (https://sqlite.org/session/sqlite3session_enable.html).
    public var isEnabled: Bool {
        get { sqlite3session_enable(handle, -1) != 0 }
        set { sqlite3session_enable(handle, newValue ? 1 : 0) }
    }

    /// Bytes the session holds for what it recorded so far.
    public var memoryUsed: Int64 { sqlite3session_memory_used(handle) }

    /// The recorded changes as a changeset blob (empty when nothing changed).
    public func changeset() throws -> [UInt8] {
        var size: Int32 = 0
        var buffer: UnsafeMutableRawPointer?
        let rc = sqlite3session_changeset(handle, &size, &buffer)
        defer { sqlite3_free(buffer) }
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc))) }
        guard let buffer, size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }
}

/// What went wrong applying a changeset: the table and kind of the first conflict.
public struct ChangesetConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var kind: String

    public var description: String { "table \(table): \(kind)" }
}

final class ConflictBox {
    var conflict: ChangesetConflict?
    let include: (String) -> Bool
    init(_ include: @escaping (String) -> Bool) { self.include = include }
}

extension Connection {
    /// Applies the inverse of `changeset` to "main", inside the caller's
    /// transaction. Any conflict (a row changed since, a row missing) aborts
    /// the whole apply and is thrown: nothing is ever skipped silently.
    public func applyInverse(of changeset: [UInt8], tables include: @escaping (String) -> Bool) throws {
        guard !changeset.isEmpty else { return }
        let box = ConflictBox(include)
        var bytes = changeset
        let rc = bytes.withUnsafeMutableBytes { buffer in
            sqlite3changeset_apply_v2(
                handle, Int32(buffer.count), buffer.baseAddress,
                { ctx, table in
                    guard let ctx, let table else { return 0 }
                    return Unmanaged<ConflictBox>.fromOpaque(ctx).takeUnretainedValue().include(String(cString: table)) ? 1 : 0
                },
                { ctx, kind, iterator in
                    guard let ctx else { return SQLITE_CHANGESET_ABORT }
                    var table: UnsafePointer<CChar>?
                    var columns: Int32 = 0, op: Int32 = 0, indirect: Int32 = 0
                    sqlite3changeset_op(iterator, &table, &columns, &op, &indirect)
                    let names = [SQLITE_CHANGESET_DATA: "a row was changed since the migration",
                                 SQLITE_CHANGESET_NOTFOUND: "a row the migration wrote is gone",
                                 SQLITE_CHANGESET_CONFLICT: "a row with the same key exists",
                                 SQLITE_CHANGESET_CONSTRAINT: "a constraint would be violated",
                                 SQLITE_CHANGESET_FOREIGN_KEY: "a foreign key would be violated"]
                    Unmanaged<ConflictBox>.fromOpaque(ctx).takeUnretainedValue().conflict = ChangesetConflict(
                        table: table.map { String(cString: $0) } ?? "?", kind: names[kind] ?? "conflict \(kind)")
                    return SQLITE_CHANGESET_ABORT
                },
                Unmanaged.passUnretained(box).toOpaque(), nil, nil,
                SQLITE_CHANGESETAPPLY_NOSAVEPOINT | SQLITE_CHANGESETAPPLY_INVERT)
        }
        if let conflict = box.conflict { throw conflict }
        try check(rc, sql: nil)
    }
}
