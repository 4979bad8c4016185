/// What a migration run reports as it goes. The CLI renders these as human
/// lines or JSON; the core never writes to a terminal itself.
public enum MigrationEvent: Sendable, Equatable {
    case start(database: String, files: Int, pending: Int)
    case skip(filename: String, reason: SkipReason)
    /// Recorded, but the file's checksum differs: reported, not re-run.
    case modified(filename: String, recorded: String, actual: String)
    /// Recorded, but the file is gone.
    case missing(filename: String)
    /// Dry-run: what would be applied, and how it would be rolled back.
    case planned(filename: String, statements: Int, transactional: Bool, reverse: Reverse)
    case backup(path: String)
    case applying(filename: String)
    /// A long statement is still running (only when progress was asked for).
    case progress(filename: String, statement: Int, elapsedMilliseconds: Int)
    /// A statement failed with "already exists" / "duplicate column name" and was skipped (the seed's rule).
    case tolerated(filename: String, statement: Int, line: Int, message: String)
    /// Something the user should know that does not stop the run.
    case warning(filename: String?, message: String)
    /// `durationMicroseconds`: the same time, fine enough to sum over many small files.
    case applied(filename: String, statements: Int, durationMilliseconds: Int, tolerated: Int, durationMicroseconds: Int)
    /// After the run: the rollback data of these older migrations was dropped (`keepRollback`).
    case pruned(PruneReport, keep: Int)
    /// Dry-run: what `lint` found in a pending migration, run on a copy of the database.
    case lint(LintFinding)
    /// After the run: `schema_file` was rewritten with the schema's dump.
    case schemaDumped(path: String)

    /// How a migration can be rolled back, known before it runs.
    public enum Reverse: String, Sendable, Equatable {
        /// Its `-- migrate:down` section.
        case downSection = "down section"
        /// A reverse generated from what is recorded when it runs (`slipway rehearse` proves it on real data).
        case generated = "generated reverse"
        /// Runs outside a transaction and changes no schema object and no row (VACUUM, ANALYZE…).
        case nothing = "nothing to undo: it changes no schema object and no row"
        /// Runs outside a transaction and has no down section: nothing can undo it.
        case none = "not reversible: no transaction to record it in and no down section"
    }

    public enum SkipReason: String, Sendable, Equatable {
        /// Recorded before this run.
        case alreadyApplied = "already applied"
        /// Recorded by the sql.js runner or another tool (no checksum).
        case adopted = "adopted"
        /// Another process applied it while this one waited for the lock.
        case appliedConcurrently = "applied by another process"
    }
}

/// Counts for the closing summary of a run.
public struct MigrationSummary: Sendable, Equatable {
    public var applied = 0
    public var skipped = 0
    public var tolerated = 0
    /// Pending migrations left after the run (failed, beyond `--to`, or all of them on a dry run).
    public var pending = 0
    public var modified = 0
    public var missing = 0
    public var durationMilliseconds = 0
    public var dryRun = false
    public var failed = false

    public init() {}
}
