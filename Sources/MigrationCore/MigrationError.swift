import SQLiteKit

/// Everything that can stop a migration command, with where it happened.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A migration file that cannot be parsed (bad section markers).
    case invalidMigration(SourceLocation, String)
    case migrationsFolderMissing(String)
    case unreadable(path: String, reason: String)
    /// `--db` names something that is not a usable SQLite database; nothing was written.
    case invalidDatabase(path: String, reason: String)
    /// Another connection held the write lock for longer than the busy timeout.
    case databaseBusy(path: String, waitedMilliseconds: Int)
    case statementFailed(StatementFailure)
    case foreignKeyViolations(file: String, [ForeignKeyViolation])
    /// A name given on the command line (`--to`, `reset`) matches no migration.
    case unknownMigration(String, detail: String)
    case incompatibleTrackingTable(table: String, reason: String)
    case invalidName(String, reason: String)
    case sqlite(SQLiteError, while: String)
    /// Stopped by a signal; the named migration was rolled back and not recorded.
    case interrupted(file: String?)
    /// Nothing was recorded to undo this migration and its file has no down section.
    case notReversible(filename: String, reason: String)
    /// Rollback would lose data; nothing was changed (`--accept-data-loss` to go on).
    case dataLoss([DataLossFinding])
    /// A recorded change no longer matches the database; the rollback was undone.
    case rollbackConflict(filename: String, String)
    /// Internal to `Migrator`: the migration was rolled back to run again with
    /// more recorded up front. Never thrown out of `Migrator.run`.
    case rerun
    /// Pending files out of order or sharing a number (`MigrationOrder`).
    case outOfOrder([String])
    /// Applied files that changed since they ran (drift): `migrate` stops unless `--allow-modified`.
    case modified(files: [String], [String])
    /// `-- requires:` headers that cannot hold (`MigrationPrerequisites`).
    case prerequisites([MigrationPrerequisites.Problem])
    /// Rolling back a migration that applied ones still require (`--cascade` undoes those first).
    case requiredBy(filename: String, dependents: [String])
    /// A `--db` pattern that matches no file.
    case noDatabaseMatches(pattern: String)
    /// A desired schema file (`diff --to`) that SQLite cannot run, located in it.
    case invalidSchema(SourceLocation, String)
    /// `diff` could not find statements that reach the desired schema; nothing was written.
    case schemaMismatch(String)

    /// Errors caused by the user's input: the CLI exits 2 for these.
    public var isInvalidInput: Bool {
        switch self {
        case .invalidMigration, .migrationsFolderMissing, .unreadable, .invalidDatabase, .unknownMigration,
            .incompatibleTrackingTable, .invalidName, .prerequisites, .noDatabaseMatches, .invalidSchema:
            true
        case .databaseBusy, .statementFailed, .foreignKeyViolations, .sqlite, .interrupted, .rerun, .notReversible,
            .dataLoss, .rollbackConflict, .outOfOrder, .modified, .requiredBy, .schemaMismatch:
            false
        }
    }

    public var description: String {
        switch self {
        case .invalidMigration(let at, let what):
            "\(at): error: \(what)"
        case .migrationsFolderMissing(let path):
            "migrations folder '\(path)' does not exist (set --dir or database.migrations in deploy.yml)"
        case .unreadable(let path, let reason):
            "cannot read '\(path)': \(reason)"
        case .invalidDatabase(let path, let reason):
            "'\(path)' is not a usable SQLite database: \(reason); nothing was changed"
        case .databaseBusy(let path, let ms):
            "database '\(path)' is locked by another connection: waited \(Self.seconds(ms)) for its write lock "
                + "(another migrate or a long write is running; raise --lock-timeout to wait longer)"
        case .statementFailed(let failure):
            failure.description
        case .foreignKeyViolations(let file, let violations):
            "\(file): error: the migration leaves \(violations.count == 1 ? "a row" : "rows") that break a FOREIGN KEY "
                + "(PRAGMA foreign_key_check); it was rolled back:\n"
                + violations.prefix(10).map { "  \($0)" }.joined(separator: "\n")
        case .unknownMigration(let name, let detail):
            "no migration '\(name)': \(detail)"
        case .incompatibleTrackingTable(let table, let reason):
            "table '\(table)' cannot be used as the tracking table: \(reason)"
        case .invalidName(let name, let reason):
            "invalid migration name '\(name)': \(reason)"
        case .sqlite(let error, let doing):
            "SQLite failed while \(doing): \(error)"
        case .notReversible(let filename, let reason):
            "\(filename) cannot be rolled back: \(reason); add a '-- migrate:down' section to the file to roll it back by hand. Nothing was changed"
        case .dataLoss(let findings):
            "rollback would lose data; nothing was changed (pass --accept-data-loss to roll back anyway):\n"
                + findings.map { "  \($0)" }.joined(separator: "\n")
        case .rollbackConflict(let filename, let what):
            "\(filename): the database changed since the migration (\(what)); the rollback was undone and nothing was changed"
        case .rerun:
            "internal: the migration had to run again"
        case .outOfOrder(let problems):
            problems.joined(separator: "; ") + ". Nothing was applied. To apply them anyway: --allow-out-of-order (or database.out_of_order: true)"
        case .modified(let files, let problems):
            problems.joined(separator: "; ") + ". Nothing was applied. Restore the file from version control and put the change "
                + "in a new migration, accept an intended edit with `slipway repair \(files.count == 1 ? files[0] : "FILE")`, "
                + "or pass --allow-modified to migrate anyway"
        case .prerequisites(let problems):
            problems.map(\.description).joined(separator: "\n") + "\nNothing was applied"
        case .noDatabaseMatches(let pattern):
            "--db '\(pattern)' matches no file (a pattern cannot create a database: name a new one plainly)"
        case .requiredBy(let filename, let dependents):
            "\(filename) is still required by \(dependents.joined(separator: ", ")) (their `-- requires:` header), which would stay applied; "
                + "pass --cascade to roll \(dependents.count == 1 ? "it" : "them") back first, newest first. Nothing was changed"
        case .invalidSchema(let at, let what):
            "\(at): error: \(what); nothing was written"
        case .schemaMismatch(let what):
            "the generated statements do not reach the desired schema (\(what)); nothing was written. Please report this"
        case .interrupted(let file):
            "interrupted" + (file.map { ": \($0) was rolled back and not recorded" } ?? "")
                + "; migrations applied before it stay applied"
        }
    }

    static func seconds(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000)s" : "\(Double(ms) / 1000)s"
    }
}

/// A statement of a migration that SQLite refused, located in the file.
public struct StatementFailure: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    /// 1-based position of the statement in the file's up section.
    public var statementIndex: Int
    public var statement: String
    public var sqliteMessage: String
    /// Advice for failures with a known fix, e.g. VACUUM inside a transaction.
    public var hint: String?
    /// Found by `validate` or `migrate --dry-run` on a copy of the schema: nothing ran on the database.
    public var foundByCheck = false
    /// A statement of a down section, run by rollback: the rollback was undone.
    public var inRollback = false

    public var description: String {
        var text = "\(location): error: statement \(statementIndex) failed: \(sqliteMessage)\n  \(Self.excerpt(statement))"
        if let hint { text += "\n  hint: \(hint)" }
        text += foundByCheck
            ? "\n  found by preparing the pending migrations on a copy of the schema; nothing was applied"
            : inRollback ? "\n  the rollback was undone: nothing was rolled back"
            : "\n  the migration was rolled back and not recorded; fix the file and run migrate again"
        return text
    }

    static func excerpt(_ sql: String) -> String {
        let oneLine = sql.split(whereSeparator: \.isNewline).map { $0.trimmingLeadingSpaces() }.joined(separator: " ")
        return oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine
    }
}

/// One row of `PRAGMA foreign_key_check`.
public struct ForeignKeyViolation: Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var rowid: Int64?
    public var parent: String

    public var description: String {
        "\(table)\(rowid.map { " rowid \($0)" } ?? "") references a missing row of \(parent)"
    }
}

extension Substring {
    func trimmingLeadingSpaces() -> Substring { drop { $0 == " " || $0 == "\t" || $0 == "\r" } }
}
