/// How much space rollback data takes, for `status`: pruning is only worth
/// asking for when one can see what it would give back.
public struct RollbackUsage: Sendable, Equatable {
    /// Applied migrations whose rollback data is kept (they roll back without a down section).
    public var migrations = 0
    /// Applied migrations whose rollback data was pruned.
    public var pruned = 0
    /// Copy tables, changesets and records in the database, plus backup files beside it.
    public var bytes: Int64 = 0

    public init() {}

    /// Reads the usage without writing; zero when the database or its tracking table does not exist.
    public static func read(_ opener: DatabaseOpener, table: TrackingTable) throws(MigrationError) -> RollbackUsage {
        var usage = RollbackUsage()
        guard let db = try opener.openForReading() else { return usage }
        try opener.run("reading rollback data") {
            let store = RollbackStore(db: db, table: table)
            for (record, stored) in try store.records() {
                if record.pruned != nil {
                    usage.pruned += 1
                } else {
                    usage.migrations += 1
                    usage.bytes += try store.bytes(of: record, storedBytes: stored)
                }
            }
        }
        return usage
    }
}
