/// How `migrate` runs. The CLI fills it from flags and deploy.yml.
public struct MigrateOptions: Sendable {
    /// Fail on "already exists" / "duplicate column name" instead of tolerating them.
    public var strict = false
    /// Report the plan only; open nothing for writing and create nothing.
    public var dryRun = false
    /// Apply pending migrations up to and including this one (a filename or its number).
    public var target: String?
    /// Write a backup before the first pending migration.
    public var backup: BackupPolicy?
    public var table = TrackingTable()
    /// Apply a pending file that sorts before the newest applied one, and files sharing a number.
    public var allowOutOfOrder = false
    /// Go on although applied files changed since they ran (drift is reported, never re-run).
    public var allowModified = false
    /// Emit `.progress` events while a long statement runs.
    public var reportProgress = false
    /// Record at apply time what rollback needs (schema, changeset, copies of what a session cannot see).
    public var recording = true
    /// Above this many bytes of session memory for one migration, the migration runs
    /// again behind a backup of the database, which then serves as its data reverse.
    public var recordingLimit: Int64 = 64 << 20
    /// Overrides what SQLite's probe says about sessions and added-column defaults
    /// (`Session.seesAddedColumnDefaults`), so that tests run both recording paths
    /// on one SQLite. Nil: ask SQLite.
    public var sessionSeesAddedColumnDefaults: Bool?
    /// After a run that applied something, keep rollback data for only this many of
    /// the newest applied migrations (`RollbackRetention`). Nil keeps all of it: the
    /// CLI passes `database.keep_rollback` (default 20); a rehearsal prunes nothing.
    public var keepRollback: Int?
    /// `database.schema_file`: rewritten with the schema's dump after a run that applied something.
    public var schemaFile: String?

    public init() {}
}
