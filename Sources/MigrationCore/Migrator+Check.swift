import SQLiteKit

/// `migrate --dry-run` and `validate` prepare every pending statement, as `migrate` would
/// run them: on an in-memory database holding the real one's schema (no rows), each
/// pending file run there in order, so a statement is checked against the schema the
/// earlier ones leave. A syntax error or a missing column on line 7 is reported with its
/// `file:line:column` before anything touches the real database. Rows are not copied: what
/// only the data decides (a UNIQUE index over duplicates) is `rehearse`'s to find.
extension Migrator {
    /// Throws the first statement that would fail (`statementFailed`). The real database is only read.
    func checkOnSchemaCopy(_ pending: [ParsedMigration], from db: Connection?) throws(MigrationError) {
        guard !pending.isEmpty else { return }
        let (copy, problem) = try schemaCopy(of: db)
        if let problem {
            emit(.warning(filename: nil, message: "pending statements not checked: \(problem)"))
            return
        }
        try run(pending, onCopy: copy)
    }

    /// An in-memory database holding `db`'s schema and no rows, and why it is not a faithful
    /// copy when an object could not be created there.
    func schemaCopy(of db: Connection?) throws(MigrationError) -> (copy: Connection, problem: String?) {
        let copy = try sql("opening a scratch database") { try Connection(path: ":memory:") }
        guard let db else { return (copy, nil) }
        let objects = try sql("reading the schema") { try Schema.read(db, excluding: table.name).objects }
        // Tables first (a view or trigger may name a later one), then what stands on them.
        for type in ["table", "index", "view", "trigger"] {
            for object in objects where object.type == type {
                guard let text = object.sql else { continue }
                do { try copy.execute(text) } catch {
                    // A virtual table's own shadow tables exist already; anything else means the copy is not faithful.
                    if (error as? SQLiteError)?.message.contains("already exists") == true { continue }
                    return (copy, "the schema could not be copied (\(object.name): \(error))")
                }
            }
        }
        return (copy, nil)
    }

    /// Runs `pending`'s statements on a schema copy, in order, each transactional file in a
    /// transaction; the first that fails is thrown as `statementFailed`, marked as found by the check.
    func run(_ pending: [ParsedMigration], onCopy copy: Connection) throws(MigrationError) {
        for file in pending {
            do throws(MigrationError) {
                let transactional = file.source.transactional
                let statements = { () throws(MigrationError) in _ = try self.runStatements(of: file, on: copy, transactional: transactional) }
                if transactional {
                    try sql("checking \(file.filename)") { try copy.transaction { try statements() } }
                } else {
                    try statements()
                }
            } catch .statementFailed(var failure) {
                failure.foundByCheck = true
                throw .statementFailed(failure)
            }
        }
    }

    /// `validate`'s statement check: the pending files as `migrate` would find them, checked on a schema copy.
    public func checkPending() throws(MigrationError) {
        let files = try directory.load()
        let db = try opener.openForReading()
        var rows: [AppliedMigration] = []
        if let db { rows = try sql("reading \(table.name)") { try table.rows(on: db) } }
        let pending = try Inventory(files: files, rows: rows).pending.map { file throws(MigrationError) in try ParsedMigration(file) }
        try checkOnSchemaCopy(pending, from: db)
    }
}
