#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteKit

/// One migration whose rollback data was (or, on a dry run, would be) dropped.
public struct PrunedRollback: Sendable, Equatable {
    public var filename: String
    /// Its `_slipway_snap_*` / `_slipway_cols_*` tables.
    public var copies: [String]
    /// The backup file it ran behind (`.slipway/rollback/`), removed with the rest.
    public var backupPath: String?
    /// What its data took: copy tables, changeset and record, backup file.
    public var bytes: Int64
}

/// What `slipway prune` did.
public struct PruneReport: Sendable, Equatable {
    public var pruned: [PrunedRollback]
    /// The database file's size after `VACUUM`, when it was asked for.
    public var vacuumedBytes: Int64?

    public var bytes: Int64 { pruned.reduce(0) { $0 + $1.bytes } }
}

/// Keeps rollback data for the newest `keep` applied migrations (by tracking
/// row id) and drops it for older ones. Without this, copies live in the app's
/// database for ever: a 1.5 M-row UPDATE's column copy doubled a file. Each
/// pruned record keeps a marker (and the down section recorded at apply time),
/// so rollback says why it cannot undo the migration instead of guessing.
public struct RollbackRetention: Sendable {
    public var keep: Int
    public var table: TrackingTable

    public init(keep: Int, table: TrackingTable = TrackingTable()) {
        self.keep = max(keep, 0)
        self.table = table
    }

    /// `slipway prune`: prunes in a transaction of its own, then `VACUUM` when asked
    /// (SQLite keeps freed pages in the file until then). A dry run only reads.
    public func run(_ opener: DatabaseOpener, dryRun: Bool, vacuum: Bool) throws(MigrationError) -> PruneReport {
        guard let reader = try opener.openForReading() else {
            throw .invalidDatabase(path: opener.path, reason: "it does not exist, so it holds no rollback data (check --db or database.path)")
        }
        if dryRun { return PruneReport(pruned: try opener.run("reading rollback data") { try candidates(reader).map(\.pruned) }) }
        let db = try opener.openForWriting()
        var report = PruneReport(pruned: try prune(db, opener))
        if vacuum {
            try opener.run("running VACUUM") { try db.execute("VACUUM") }
            report.vacuumedBytes = FileSystem.size(opener.path)
        }
        return report
    }

    /// Prunes in one transaction (never a migration's: a failure here undoes no
    /// migration). Backup files go after the commit, when no record names them.
    func prune(_ db: Connection, _ opener: DatabaseOpener) throws(MigrationError) -> [PrunedRollback] {
        let encoder = RollbackStore.encoder()
        let pruned = try opener.transaction(db, "pruning rollback data") { () throws(MigrationError) in
            try opener.run("pruning rollback data") {
                let store = RollbackStore(db: db, table: table)
                let found = try candidates(db)
                for (record, _) in found { try store.prune(record, keep: keep, encoder: encoder) }
                return found.map(\.pruned)
            }
        }
        for path in pruned.compactMap(\.backupPath) { FileSystem.remove(path) }
        return pruned
    }

    /// Records older than the newest `keep` rows that still hold data.
    private func candidates(_ db: Connection) throws -> [(record: RollbackRecord, pruned: PrunedRollback)] {
        let store = RollbackStore(db: db, table: table)
        return try store.records(prunable: keep).map { record, stored in
            let copies = record.snapshots.map(\.snapshot) + record.columnCopies.map(\.copy)
            return (record, PrunedRollback(filename: record.filename, copies: copies, backupPath: record.backupPath,
                                           bytes: try store.bytes(of: record, storedBytes: stored)))
        }
    }
}
