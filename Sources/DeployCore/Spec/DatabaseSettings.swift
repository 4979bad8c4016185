/// deploy.yml's `database:` section. Paths are as written (relative to the target's path).
public struct DatabaseSettings: Sendable, Equatable {
    public var path: String?
    public var migrations: String?
    /// Back up before the first pending migration.
    public var backup = false
    /// How many backups to keep.
    public var keepBackups: Int?
    /// `keep_rollback`: how many of the newest applied migrations keep their rollback
    /// data after a migrate (nil: slipway's default, 20; 0: none).
    public var keepRollback: Int?
    /// The tracking table's name, `_migrations` when nil.
    public var table: String?
    /// Seconds to wait for another connection's write lock.
    public var lockTimeout: Int?
    /// `out_of_order: true`: apply pending files that sort before the newest applied one.
    public var outOfOrder = false
    /// `schema_file:`: where `migrate` writes the schema's dump after a run that changed something.
    public var schemaFile: String?
    /// Migrate although applied files changed since they ran. Set by `deploy --allow-modified`
    /// for one run, never by deploy.yml: drift is a state to resolve, not a setting.
    public var allowModified = false
    /// Where the section and its `migrations:` value are in deploy.yml, for errors about them.
    public var mark: SpecMark?
    public var migrationsMark: SpecMark?
    /// Values in this section that came from `${VAR}`.
    public var secrets: [String] = []

    public init() {}
}
