#if canImport(Glibc)
import Glibc
#endif
import Logging
import SQLiteKit

/// `slipway lint` (and `migrate --dry-run`): runs each pending migration on a
/// copy of the database, as the earlier pending ones leave it, and reports what
/// it would do that deserves a second look (like Atlas's `migrate lint`). The
/// real database is only read; the copy is a temporary file, removed after.
public struct Linter {
    let directory: MigrationDirectory
    let opener: DatabaseOpener
    let table: TrackingTable

    public init(directory: MigrationDirectory, database: DatabaseOpener, table: TrackingTable = TrackingTable()) {
        self.directory = directory
        self.opener = database
        self.table = table
    }

    /// The findings, in file order, and how many pending migrations were linted.
    public func run() throws(MigrationError) -> (findings: [LintFinding], pending: Int) {
        let files = try directory.load()
        let original = try opener.openForReading()
        var rows: [AppliedMigration] = []
        if let original { rows = try opener.run("reading \(table.name)") { try table.rows(on: original) } }
        let pending = try Inventory(files: files, rows: rows).pending.map { file throws(MigrationError) in try ParsedMigration(file) }
        return (try lint(pending, from: original), pending.count)
    }

    /// Lints `pending` on a copy of `original` (nil: the database does not exist yet).
    func lint(_ pending: [ParsedMigration], from original: Connection?) throws(MigrationError) -> [LintFinding] {
        guard !pending.isEmpty else { return [] }
        let copy = FileSystem.join(getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp", "slipway-lint-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).db")
        FileSystem.remove(copy)
        defer {
            FileSystem.remove(copy)
            FileSystem.remove(copy + "-journal")
            FileSystem.remove(copy + "-wal")
        }
        let db = try opener.run("copying the database") { () throws -> Connection in
            try original?.backup(to: copy)
            return try Connection(path: copy)
        }
        return try lint(pending, on: db, copyPath: copy)
    }

    private func lint(_ pending: [ParsedMigration], on db: Connection, copyPath: String) throws(MigrationError) -> [LintFinding] {
        var options = MigrateOptions()
        options.table = table
        let migrator = Migrator(directory: directory, database: DatabaseOpener(path: copyPath), options: options,
                                logger: Logger(label: "slipway.lint"), events: { _ in })
        let watch = LintWatch(db: db)
        var violations = try foreignKeyViolations(db)
        for file in pending {
            let transactional = file.source.transactional
            if !transactional && file.source.down == nil && !NoOpMaintenance.changesNothing(file.source.up.sql) {
                watch.add(LintFinding(.notRestorable, at: SourceLocation(file: file.path, line: file.source.up.firstLine, column: 1),
                    "runs outside a transaction and has no down section: nothing is recorded to undo it; add a '-- migrate:down' section"))
            }
            let down = try migrator.sql("linting \(file.filename)") { () throws -> DownSectionCheck? in
                guard transactional, let section = file.source.down else { return nil }
                return try DownSectionCheck(db: db, down: section, path: file.path, trackingTable: table.name)
            }
            watch.begin(transactional: transactional, down: down)
            do {
                let run = { () throws(MigrationError) in _ = try migrator.runStatements(of: file, on: db, transactional: transactional, lint: watch) }
                if transactional {
                    try migrator.sql("linting \(file.filename)") { try db.transaction { try run(); try watch.checkDown() } }
                } else {
                    try run()
                }
            } catch .statementFailed(let failure) {
                if let finding = Self.finding(for: failure, after: watch.findings.last) { watch.add(finding) }
                return watch.findings
            }
            try migrator.sql("linting \(file.filename)") { try watch.end() }
            let now = try foreignKeyViolations(db)
            if now > violations {
                watch.add(LintFinding(.foreignKeys, at: SourceLocation(file: file.path, line: file.source.up.firstLine, column: 1),
                    "leaves \(now - violations) row\(now - violations == 1 ? "" : "s") that break a FOREIGN KEY (PRAGMA foreign_key_check): migrate would roll it back"))
            }
            violations = now
        }
        return watch.findings
    }

    /// A statement that fails on the copy; a UNIQUE index over duplicates gets its own code.
    /// Nil when a finding on the same statement already says why (a journal_mode PRAGMA).
    static func finding(for failure: StatementFailure, after last: LintFinding?) -> LintFinding? {
        if let last, last.location == failure.location, last.code == .pragmaInTransaction { return nil }
        var words = SQLWords(failure.statement)
        let unique = words.next()?.uppercased() == "CREATE" && words.next()?.uppercased() == "UNIQUE"
        if unique && failure.sqliteMessage.hasPrefix("UNIQUE constraint failed") {
            return LintFinding(.uniqueOverDuplicates, at: failure.location,
                               "CREATE UNIQUE INDEX over values that are already duplicated (\(failure.sqliteMessage)): migrate would fail here")
        }
        return LintFinding(.fails, at: failure.location, "fails on a copy of the database: \(failure.sqliteMessage); migrate would fail here")
    }

    private func foreignKeyViolations(_ db: Connection) throws(MigrationError) -> Int {
        try opener.run("checking foreign keys") { try db.query("PRAGMA foreign_key_check").count }
    }
}
