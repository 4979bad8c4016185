import SQLiteKit

/// What `rollback` reports as it goes.
public enum RollbackEvent: Sendable, Equatable {
    case start(database: String, migrations: [String])
    case planned(filename: String, source: String, steps: [ReverseStep])
    case dataLoss(DataLossFinding)
    case rolledBack(filename: String, durationMilliseconds: Int)
}

public struct RollbackOptions: Sendable {
    /// How many of the newest applied migrations to undo.
    public var steps = 1
    /// Undo every migration applied after this one (which stays applied).
    public var target: String?
    /// Undo exactly these migrations (e.g. the ones a deploy applied), newest first.
    public var filenames: [String]?
    /// With `filenames`: a name not applied is skipped, not refused (a deploy's rollback over
    /// many databases, some of which never took a migration or an earlier attempt undid).
    public var ifApplied = false
    public var dryRun = false
    public var acceptDataLoss = false
    /// Also undo the applied migrations whose `-- requires:` header needs a chosen one.
    public var cascade = false
    public var table = TrackingTable()

    public init() {}
}

/// Undoes applied migrations, newest first, each together with the removal of
/// its tracking row and records, all in one transaction.
public final class Rollbacker {
    let directory: MigrationDirectory
    let opener: DatabaseOpener
    let options: RollbackOptions
    let emit: (RollbackEvent) -> Void
    public private(set) var rolledBack: [String] = []

    public init(directory: MigrationDirectory, database: DatabaseOpener, options: RollbackOptions,
                events: @escaping (RollbackEvent) -> Void) {
        self.directory = directory
        self.opener = database
        self.options = options
        self.emit = events
    }

    /// Undoes the chosen migrations, newest first, in one transaction: each
    /// one's reverse is planned, checked for data loss and run on the database
    /// as the newer ones left it. Data loss found anywhere (without
    /// `acceptDataLoss`), a failure, or a dry run rolls the whole transaction back.
    /// A dry run of one migration needs no trial: it only reads.
    public func run() throws(MigrationError) {
        guard let reader = try opener.openForReading() else {
            throw .invalidDatabase(path: opener.path, reason: "it does not exist, so nothing is applied to roll back (check --db or database.path)")
        }
        let chosen = try sql("reading \(options.table.name)") { try choose(reader) }
        if options.dryRun && chosen.count == 1 { return try dryRunOne(chosen[0], reader) }
        let db = try opener.openForWriting()
        // Every record is read first: a migration that cannot be undone stops the run before it starts.
        var plans: [(String, RollbackRecord)] = []
        for filename in chosen { plans.append((filename, try sql("reading rollback data") { try record(for: filename, db) })) }
        emit(.start(database: opener.path, migrations: chosen))
        var backups: [String: String] = [:]
        defer { for schema in backups.values { try? db.execute("DETACH DATABASE \(schema)") } }
        try attachBackups(of: plans, to: db, into: &backups)
        var durations: [Int] = []
        try sql("BEGIN IMMEDIATE") { try db.execute("BEGIN IMMEDIATE") }
        do throws(MigrationError) {
            var findings: [DataLossFinding] = []
            for (filename, record) in plans {
                let started = ContinuousClock.now
                let lost = try sql("checking what rollback would lose") { try DataLossCheck(db: db).findings(record) }
                for finding in lost { emit(.dataLoss(finding)) }
                findings += lost
                try undo(filename, record, db, backup: backups[filename])
                durations.append(started.millisecondsElapsed)
            }
            if !findings.isEmpty && !options.acceptDataLoss { throw MigrationError.dataLoss(findings) }
            try sql(options.dryRun ? "rolling back the dry run" : "committing") { try db.execute(options.dryRun ? "ROLLBACK" : "COMMIT") }
        } catch {
            if !db.isAutocommit { try? db.execute("ROLLBACK") }
            try? db.execute("PRAGMA legacy_alter_table = OFF")
            throw error
        }
        guard !options.dryRun else { return }
        for ((filename, record), duration) in zip(plans, durations) {
            if backups[filename] != nil, let path = record.backupPath { FileSystem.remove(path) }
            rolledBack.append(filename)
            emit(.rolledBack(filename: filename, durationMilliseconds: duration))
        }
    }

    /// SQLite attaches only outside a transaction: every backup the rollback restores
    /// from is attached first, each under its own schema name (by filename in `backups`).
    private func attachBackups(of plans: [(String, RollbackRecord)], to db: Connection, into backups: inout [String: String]) throws(MigrationError) {
        for (i, (filename, record)) in plans.enumerated() where record.strategy == .backup && record.down == nil {
            guard let path = record.backupPath else { continue }
            let schema = "_slipway_backup_\(i)"
            _ = try sql("attaching \(path)") { try db.query("ATTACH DATABASE ? AS \(schema)", [.text(path)]) }
            backups[filename] = schema
        }
    }

    /// The chosen migrations, with what requires them (`cascade`) or refused when
    /// something applied still needs one: a prerequisite never goes before its dependents.
    private func choose(_ db: Connection) throws -> [String] {
        var chosen = try chooseByOptions(db)
        // Files are read for their headers only; a rollback works without them too.
        guard let files = try? directory.load() else { return chosen }
        let rows = try options.table.rows(on: db)
        let prerequisites = MigrationPrerequisites(files: files, rows: rows)
        for filename in chosen {
            let left = prerequisites.appliedDependents(of: filename).filter { !chosen.contains($0) }
            guard !left.isEmpty else { continue }
            guard options.cascade else { throw MigrationError.requiredBy(filename: filename, dependents: left) }
            chosen += left
        }
        let order = rows.map(\.filename).reversed()
        return order.filter(chosen.contains)
    }

    /// Newest first: `steps` of them, or all those applied after `target`.
    private func chooseByOptions(_ db: Connection) throws -> [String] {
        let applied = try options.table.rows(on: db).map(\.filename).reversed()
        if let names = options.filenames {
            var chosen: [String] = []
            for name in names {
                guard let filename = MigrationLookup.resolve(name, among: Array(applied)) else {
                    if options.ifApplied { continue }
                    throw MigrationError.unknownMigration(name, detail: "it is not applied (see `slipway status`)")
                }
                chosen.append(filename)
            }
            return applied.filter(chosen.contains)
        }
        guard let target = options.target else { return Array(applied.prefix(max(options.steps, 0))) }
        guard let index = applied.firstIndex(where: { $0 == target || $0.hasPrefix(target + "_") }) else {
            throw MigrationError.unknownMigration(target, detail: "it is not applied (see `slipway status`)")
        }
        return Array(applied[..<index])
    }

    /// What was recorded at apply time; for a migration with none (adopted from the
    /// sql.js runner, applied outside a transaction) or whose data was pruned, the
    /// file's down section if it has one. Called for every chosen migration before
    /// the rollback writes, so a refusal changes nothing.
    private func record(for filename: String, _ db: Connection) throws -> RollbackRecord {
        let recorded = try RollbackStore(db: db, table: options.table).load(filename)
        if let recorded, recorded.pruned == nil || recorded.down != nil { return recorded }
        let file = try? directory.load().first { $0.filename == filename }
        if let down = try file?.parse().down {
            var record = RollbackRecord(filename: filename, strategy: .generated)
            record.down = down
            return record
        }
        if let pruned = recorded?.pruned {
            throw MigrationError.notReversible(filename: filename, reason: "its rollback data was pruned: slipway keeps it for "
                + "the newest \(pruned.keep) applied migration\(pruned.keep == 1 ? "" : "s") (database.keep_rollback, --keep-rollback)")
        }
        let row = try options.table.rows(on: db).first { $0.filename == filename }
        let why = row?.checksum == nil ? "it was applied by another tool (adopted), so nothing was recorded"
            : "nothing was recorded when it was applied (outside a transaction, or before slipway kept rollback data)"
        throw MigrationError.notReversible(filename: filename, reason: why)
    }

    /// The newest migration's reverse and what it would lose, read-only (a writer
    /// holding the database does not make it wait).
    private func dryRunOne(_ filename: String, _ db: Connection) throws(MigrationError) {
        emit(.start(database: opener.path, migrations: [filename]))
        // One read transaction: the plan and the check see the same database.
        try sql("BEGIN") { try db.execute("BEGIN") }
        defer { try? db.execute("COMMIT") }
        let recorded = try sql("reading rollback data") { try record(for: filename, db) }
        let findings = try sql("checking what rollback would lose") { try DataLossCheck(db: db).findings(recorded) }
        for finding in findings { emit(.dataLoss(finding)) }
        _ = try plan(filename, recorded, db)
        if !findings.isEmpty && !options.acceptDataLoss { throw .dataLoss(findings) }
    }

    /// A migration's reverse steps on the database as it is now (emitted as its plan).
    private func plan(_ filename: String, _ record: RollbackRecord, _ db: Connection) throws(MigrationError) -> [ReverseStep] {
        let current = try sql("reading the schema") { try Schema.read(db, excluding: options.table.name) }
        let steps = ReverseGenerator(record: record, current: current).steps()
        emit(.planned(filename: filename, source: record.down != nil ? "down section" : record.strategy.rawValue, steps: steps))
        return steps
    }

    /// One migration's reverse, with the removal of its tracking row and data copies.
    private func undo(_ filename: String, _ record: RollbackRecord, _ db: Connection, backup: String?) throws(MigrationError) {
        let violationsBefore = try sql("checking foreign keys") { try db.query("PRAGMA foreign_key_check").count }
        let steps = try plan(filename, record, db)
        let runner = try ReverseStepRunner(db: db, record: record, file: filename, trackingTable: options.table.name, backup: backup)
        for step in steps { try runner.run(step) }
        try sql("removing \(filename)'s records") {
            try RollbackStore(db: db, table: options.table).dropCopies(of: filename)
            _ = try options.table.delete(filename, on: db)
        }
        let violations = try sql("checking foreign keys") { try db.query("PRAGMA foreign_key_check") }
        if violations.count > violationsBefore {
            let found = violations.map { ForeignKeyViolation(table: $0[0].string ?? "", rowid: $0[1].int, parent: $0[2].string ?? "") }
            throw MigrationError.foreignKeyViolations(file: filename, found)
        }
    }

    private func sql<T>(_ doing: String, _ body: () throws -> T) throws(MigrationError) -> T {
        try opener.run(doing, body)
    }
}
