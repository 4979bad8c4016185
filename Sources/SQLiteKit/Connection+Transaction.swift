/// The one way to wrap work in BEGIN … COMMIT, so that every caller rolls back
/// the same way when the work fails.
extension Connection {
    public enum TransactionKind: String, Sendable {
        /// Takes locks as statements need them.
        case deferred = "BEGIN"
        /// Takes the write lock at once, so two writers never both read and then write
        /// (https://sqlite.org/lang_transaction.html).
        case immediate = "BEGIN IMMEDIATE"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when
    /// it or the COMMIT throws. The error thrown is `body`'s own, or SQLite's.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        try cached(kind.rawValue).run()
        do {
            let result = try body()
            try cached("COMMIT").run()
            return result
        } catch {
            if !isAutocommit { try? execute("ROLLBACK") }
            throw error
        }
    }
}
