#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SQLiteKit

/// Applies pending migrations, each in its own transaction with its tracking row.
///
/// One run: load and parse every file (so a bad file stops the run before any
/// write), open the database, create or upgrade the tracking table, then apply
/// each pending file in order. `summary` holds the counts so far, also after a
/// failure, so the caller can report them.
public final class Migrator {
    let directory: MigrationDirectory
    let opener: DatabaseOpener
    let options: MigrateOptions
    let logger: Logger
    let emit: (MigrationEvent) -> Void
    public internal(set) var summary = MigrationSummary()
    /// Cancel this from a signal handler to stop the run cleanly.
    public let cancellation = Cancellation()
    let foreignKeys = ForeignKeyCheck()
    /// Table facts for recording, shared by the run's migrations.
    let tableFacts = TableFacts()
    /// One encoder for every rollback record of the run.
    let recordEncoder = RollbackStore.encoder()

    public init(
        directory: MigrationDirectory, database: DatabaseOpener, options: MigrateOptions,
        logger: Logger, events: @escaping (MigrationEvent) -> Void
    ) {
        self.directory = directory
        self.opener = database
        self.options = options
        self.logger = logger
        self.emit = events
    }

    var table: TrackingTable { options.table }

    public func run() throws(MigrationError) {
        let started = ContinuousClock.now
        summary.dryRun = options.dryRun
        defer { summary.durationMilliseconds = started.millisecondsElapsed }
        do {
            try runUnsummarized()
        } catch {
            summary.failed = true
            throw error
        }
    }

    private func runUnsummarized() throws(MigrationError) {
        let files = try directory.load()
        // A database this run creates has nothing worth a backup.
        let existed = DatabaseFile.inspect(opener.path) == .sqlite
        // A dry run opens read-only and never creates the file or upgrades the table; a
        // database that does not exist yet is created only once every check has passed.
        // (A file that is not a SQLite database yet has no rows to read: it is refused or created then.)
        var db = options.dryRun ? try opener.openForReading() : existed ? try opener.openForWriting() : nil
        if let db, !options.dryRun { try prepareTrackingTable(db) }
        var rows: [AppliedMigration] = []
        if let db { rows = try sql("reading \(table.name)") { try table.rows(on: db) } }
        let inventory = Inventory(files: files, rows: rows)
        // Every pending file is parsed before anything is written: a bad marker stops the run here.
        var pending: [ParsedMigration] = []
        let selected = try selectPending(inventory, files: files)
        if !options.allowOutOfOrder {
            let problems = MigrationOrder(files: files, rows: rows).problems(pending: selected)
            if !problems.isEmpty { throw .outOfOrder(problems) }
        }
        if !selected.isEmpty {  // a no-op run reads no header
            let names = Set(selected.map(\.filename))
            let prerequisites = MigrationPrerequisites(files: files, rows: rows).problems()
                .filter { $0.kind == .notApplied || names.contains($0.filename) }
            if !prerequisites.isEmpty { throw .prerequisites(prerequisites) }
        }
        for file in selected { pending.append(try ParsedMigration(file)) }
        summary.pending = pending.count
        emit(.start(database: opener.path, files: files.count, pending: pending.count))
        report(inventory)
        // Like Flyway's validate-on-migrate: a deploy must not carry on over an edited migration.
        if !options.allowModified {
            let drift = inventory.entries.filter { $0.state == .modified }
            if !drift.isEmpty { throw .modified(files: drift.map(\.filename), drift.map(Self.driftSentence)) }
        }
        if options.dryRun {
            for file in pending { emit(plan(file)) }
            try checkOnSchemaCopy(pending, from: db)
            for finding in try Linter(directory: directory, database: opener, table: table).lint(pending, from: db) { emit(.lint(finding)) }
            return
        }
        if db == nil {
            db = try opener.openForWriting()
            try prepareTrackingTable(db!)
        }
        guard let db, let first = pending.first else { return }
        // Recording re-reads what migrations wrote (row counts, digests): 16 MiB of page cache, not 2, keeps that off the disk.
        if options.recording { try sql("setting the page cache") { try db.execute("PRAGMA cache_size = -16384") } }
        cancellation.attach(db.interruptHandle)
        defer { cancellation.attach(nil) }
        if let policy = options.backup, existed {
            emit(.backup(path: try policy.write(db, databasePath: opener.path, before: first.filename)))
        }
        for file in pending {
            if cancellation.isCancelled { throw .interrupted(file: nil) }
            logger.debug("applying", metadata: ["file": "\(file.filename)", "transaction": "\(file.source.transactional)"])
            try apply(file, on: db)
            summary.pending -= 1
        }
        // What this run applied keeps its data whatever `keep` says: the deploy that
        // ran it must stay undoable by `rollback TARGET`.
        if let keep = options.keepRollback, summary.applied > 0 { pruneRollbackData(keep: max(keep, summary.applied), db) }
        if let path = options.schemaFile, summary.applied > 0 { dumpSchema(to: path, db) }
    }

    /// Rewrites `schema_file` (like dbmate's schema.sql). The migrations are
    /// committed by now: a failure here is a warning, and `slipway dump` can redo it.
    private func dumpSchema(to path: String, _ db: Connection) {
        do {
            let schema = try sql("reading the schema") { try DatabaseSchema.read(db, excluding: table.name, detail: .definitions) }
            try FileSystem.replace(path, contents: schema.dump)
            emit(.schemaDumped(path: path))
        } catch {
            emit(.warning(filename: nil, message: "the migrations are applied, but writing \(path) failed (\(error)); `slipway dump` writes it"))
        }
    }

    /// Drops the rollback data of migrations older than the newest `keep`. The
    /// migrations are committed by now: a failure here is a warning, and the
    /// next run (or `slipway prune`) tries again.
    private func pruneRollbackData(keep: Int, _ db: Connection) {
        do {
            let pruned = try RollbackRetention(keep: keep, table: table).prune(db, opener)
            if !pruned.isEmpty { emit(.pruned(PruneReport(pruned: pruned), keep: keep)) }
        } catch {
            emit(.warning(filename: nil, message: "the migrations are applied, but pruning older rollback data failed (\(error)); "
                + "`slipway prune` tries again"))
        }
    }

    /// Creates or upgrades the tracking table under the write lock, only when needed,
    /// so a no-op run takes no write transaction.
    private func prepareTrackingTable(_ db: Connection) throws(MigrationError) {
        let needed = try sql("reading \(table.name)") { try table.needsPreparation(on: db) }
        guard needed else { return }
        logger.debug("creating or upgrading the tracking table", metadata: ["table": "\(table.name)"])
        try opener.transaction(db, "creating \(table.name)") { () throws(MigrationError) in
            // Checked again under the lock: a concurrent run may have just done it.
            try sql("creating \(table.name)") { if try table.needsPreparation(on: db) { try table.prepare(on: db) } }
        }
    }

    private func report(_ inventory: Inventory) {
        for entry in inventory.entries {
            switch entry.state {
            case .applied:
                summary.skipped += 1
                emit(.skip(filename: entry.filename, reason: .alreadyApplied))
            case .adopted:
                summary.skipped += 1
                emit(.skip(filename: entry.filename, reason: .adopted))
            case .modified:
                summary.skipped += 1
                summary.modified += 1
                emit(.modified(filename: entry.filename, recorded: entry.row?.checksum ?? "", actual: entry.file?.checksum ?? ""))
            case .missing:
                summary.missing += 1
                emit(.missing(filename: entry.filename))
            case .pending:
                break
            }
        }
    }

    static func driftSentence(_ entry: Inventory.Entry) -> String {
        "\(entry.filename) changed after it was applied (checksum \(Validator.short(entry.row?.checksum)) recorded, "
            + "\(Validator.short(entry.file?.checksum)) now)"
    }

    /// Pending files, cut after `options.target` when one is given.
    private func selectPending(_ inventory: Inventory, files: [MigrationFile]) throws(MigrationError) -> [MigrationFile] {
        let pending = inventory.pending
        guard let target = options.target else { return pending }
        let stop = try MigrationLookup(files: files).find(target)
        return pending.filter { !stop.filename.utf8.lexicographicallyPrecedes($0.filename.utf8) }
    }

    private func plan(_ file: ParsedMigration) -> MigrationEvent {
        .planned(
            filename: file.filename, statements: SQLScript(file.source.up.sql).statementRanges().count,
            transactional: file.source.transactional,
            reverse: file.source.down != nil ? .downSection
                : file.source.transactional ? (options.recording ? .generated : .none)
                : NoOpMaintenance.changesNothing(file.source.up.sql) ? .nothing : .none)
    }

    /// Runs `body` and maps SQLite's errors to `MigrationError`.
    func sql<T>(_ doing: String, _ body: () throws -> T) throws(MigrationError) -> T {
        try opener.run(doing, body)
    }
}

extension ContinuousClock.Instant {
    var millisecondsElapsed: Int {
        let d = ContinuousClock.now - self
        return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    var microsecondsElapsed: Int {
        let d = ContinuousClock.now - self
        return Int(d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000)
    }
}
