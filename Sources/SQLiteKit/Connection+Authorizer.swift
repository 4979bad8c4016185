import CSQLite

/// One access SQLite asks about while it prepares a statement (`sqlite3_set_authorizer`).
/// See https://sqlite.org/c3ref/c_alter_table.html for what each action's details hold.
public struct AuthorizerEvent: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case insert(table: String)
        case update(table: String, column: String)
        case delete(table: String)
        case read(table: String, column: String)
        case createTable(String)
        case dropTable(String)
        /// ADD/DROP/RENAME COLUMN or RENAME TO; SQLite does not say which.
        case alterTable(String)
        case createIndex(name: String, table: String)
        case dropIndex(name: String, table: String)
        case createTrigger(name: String, table: String)
        case dropTrigger(name: String, table: String)
        case createView(String)
        case dropView(String)
        /// CREATE/DROP of a virtual table.
        case virtualTable(String)
        case pragma(name: String, argument: String?)
        /// BEGIN, COMMIT or ROLLBACK of a transaction (not a savepoint).
        case transaction(String)
        case savepoint(operation: String, name: String)
        case other(Int32)
    }
    public var action: Action
    public var database: String?
    /// The trigger or view whose body caused the access, if any.
    public var inside: String?
}

final class AuthorizerBox {
    var handler: ((AuthorizerEvent) -> Void)?
    init(_ handler: @escaping (AuthorizerEvent) -> Void) { self.handler = handler }
}

extension Connection {
    /// Reports every access of statements prepared from now on, without denying any.
    /// Pass nil to remove the observer.
    ///
    /// SQLite expires every prepared statement whenever an authorizer is installed, so
    /// that the statement cache would be prepared again after each change of observer
    /// (each migration: a fifth of a run of small data migrations). The callback is
    /// installed once per connection; only the observer it calls changes.
    public func setAuthorizer(_ observer: ((AuthorizerEvent) -> Void)?) {
        if let box = authorizer {
            box.handler = observer
            return
        }
        guard let observer else { return }
        let box = AuthorizerBox(observer)
        authorizer = box
        sqlite3_set_authorizer(handle, { ctx, code, a, b, db, inside in
            guard let ctx else { return SQLITE_OK }
            let box = Unmanaged<AuthorizerBox>.fromOpaque(ctx).takeUnretainedValue()
            guard let handler = box.handler else { return SQLITE_OK }
            func s(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) } }
            // ALTER TABLE names its database first (its third argument is a column for DROP COLUMN).
            let database = code == SQLITE_ALTER_TABLE ? s(a) : s(db)
            handler(AuthorizerEvent(action: .init(code: code, s(a), s(b)), database: database, inside: s(inside)))
            return SQLITE_OK
        }, Unmanaged.passUnretained(box).toOpaque())
    }
}

extension AuthorizerEvent.Action {
    init(code: Int32, _ a: String?, _ b: String?) {
        switch code {
        case SQLITE_INSERT: self = .insert(table: a ?? "")
        case SQLITE_UPDATE: self = .update(table: a ?? "", column: b ?? "")
        case SQLITE_DELETE: self = .delete(table: a ?? "")
        case SQLITE_READ: self = .read(table: a ?? "", column: b ?? "")
        case SQLITE_PRAGMA: self = .pragma(name: a ?? "", argument: b)
        case SQLITE_TRANSACTION: self = .transaction(a ?? "")
        case SQLITE_SAVEPOINT: self = .savepoint(operation: a ?? "", name: b ?? "")
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: self = .createIndex(name: a ?? "", table: b ?? "")
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: self = .dropIndex(name: a ?? "", table: b ?? "")
        case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER: self = .createTrigger(name: a ?? "", table: b ?? "")
        case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER: self = .dropTrigger(name: a ?? "", table: b ?? "")
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW: self = .createView(a ?? "")
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: self = .dropView(a ?? "")
        case SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE: self = .virtualTable(b ?? "")
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: self = .createTable(a ?? "")
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: self = .dropTable(a ?? "")

        case SQLITE_ALTER_TABLE: self = .alterTable(b ?? "")
        default: self = .other(code)
        }
    }
}
