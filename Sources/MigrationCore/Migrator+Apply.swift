#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteKit

extension Migrator {
    /// Applies one file: its statements, the foreign-key check and its tracking
    /// row commit together, or none of them do.
    func apply(_ file: ParsedMigration, on db: Connection) throws(MigrationError) {
        emit(.applying(filename: file.filename))
        let started = ContinuousClock.now
        var outcome: StatementsOutcome?
        if file.source.transactional {
            var baseline: ViolationBaseline?
            var writes = TableWrites()
            while true {
                do {
                    outcome = try applyInTransaction(file, started, db, baseline: baseline, writes: &writes)
                    break
                } catch {
                    // Foreign keys were never enforced on many old databases: violations that
                    // were there before this migration are not held against it. They are
                    // counted on the rolled-back database, and the migration runs again.
                    guard case .foreignKeyViolations = error, baseline == nil else { throw error }
                    let before = try sql("checking foreign keys") {
                        try foreignKeys.begin(on: db)
                        return try foreignKeys.violations(after: writes, on: db)
                    }
                    guard !before.isEmpty else { throw error }
                    baseline = ViolationBaseline(before)
                    emit(.warning(filename: file.filename, message: baseline!.description))
                }
            }
        } else {
            outcome = try applyOutsideTransaction(file, started, db)
        }
        guard let outcome else {
            summary.skipped += 1
            emit(.skip(filename: file.filename, reason: .appliedConcurrently))
            return
        }
        summary.applied += 1
        summary.tolerated += outcome.tolerated
        emit(.applied(filename: file.filename, statements: outcome.statements,
                      durationMilliseconds: started.millisecondsElapsed, tolerated: outcome.tolerated,
                      durationMicroseconds: started.microsecondsElapsed))
    }

    private func applyInTransaction(
        _ file: ParsedMigration, _ started: ContinuousClock.Instant, _ db: Connection,
        baseline: ViolationBaseline?, writes: inout TableWrites
    ) throws(MigrationError) -> StatementsOutcome? {
        var snapshotFirst: Set<String> = []
        var noRanges: Set<String> = []
        var mode = ApplyRecorder.Mode.session(limit: options.recordingLimit)
        while true {
            var recorder: ApplyRecorder?
            do {
                let outcome = try opener.transaction(db, "applying \(file.filename)") { () throws(MigrationError) -> StatementsOutcome? in
                    // Re-checked under the write lock: another process may have applied it meanwhile.
                    guard try !alreadyRecorded(file, db) else { return nil }
                    try sql("reading the schema") { try foreignKeys.begin(on: db) }
                    if options.recording {
                        recorder = try sql("recording \(file.filename) for rollback") {
                            try tableFacts.begin(on: db)
                            return try ApplyRecorder(db: db, filename: file.filename, trackingTable: table.name, mode: mode,
                                                     snapshotFirst: snapshotFirst, noRanges: noRanges, facts: tableFacts,
                                                     seesAddedColumnDefaults: options.sessionSeesAddedColumnDefaults
                                                         ?? Session.seesAddedColumnDefaults)
                        }
                    }
                    let outcome = try runStatements(of: file, on: db, transactional: true, recorder: recorder)
                    writes = outcome.writes
                    try checkForeignKeys(file, outcome.writes, db, baseline: baseline)
                    let rollback = try recorder.map { recorder throws(MigrationError) in
                        let finished = try sql("recording \(file.filename) for rollback") { try recorder.finish(down: file.source.down) }
                        guard let finished else { throw .rerun }
                        return try sql("recording \(file.filename) for rollback") {
                            try tableFacts.end(on: db)
                            return try RollbackStore.values(of: finished, encoder: recordEncoder)
                        }
                    }
                    try record(file, started, db, rollback: rollback)
                    return outcome
                }
                return outcome
            } catch .rerun {
                switch recorder?.restart {
                case .snapshotFirst(let tables)?:
                    snapshotFirst.formUnion(tables)
                case .withoutRange(let tables)?:
                    noRanges.formUnion(tables)
                case .overflow?:
                    emit(.warning(filename: file.filename, message:
                        "recording its row changes for rollback would pass \(options.recordingLimit >> 20) MiB of memory; "
                        + "it runs with a copy of each updated column taken first instead, which its rollback writes back"))
                    mode = .columns
                case .needsBackup?:
                    let path = try writeRollbackBackup(file, db)
                    emit(.warning(filename: file.filename, message:
                        "it also inserts, deletes or restructures: applying it again behind a backup of the "
                        + "database (\(path)), which its rollback restores data from"))
                    mode = .backup(path: path)
                case nil:
                    throw .sqlite(SQLiteError(code: 1, message: "a rerun without a reason"), while: "applying \(file.filename)")
                }
            }
        }
    }

    /// The database before a migration whose recording outgrew memory, kept for its rollback.
    private func writeRollbackBackup(_ file: ParsedMigration, _ db: Connection) throws(MigrationError) -> String {
        let parent = FileSystem.parent(of: opener.path)
        let folder = parent == "." ? ".slipway/rollback" : FileSystem.join(parent, ".slipway/rollback")
        try FileSystem.makeDirectories(folder)
        let path = FileSystem.join(folder, FileSystem.basename(opener.path) + "." + file.filename + ".before.db")
        FileSystem.remove(path)
        try sql("writing \(path)") { try db.backup(to: path) }
        return path
    }

    /// `transaction:false` migrations (VACUUM, journal mode) run statement by
    /// statement; their row is written afterwards in a transaction of its own.
    /// Such a migration cannot be atomic, which is why it must be asked for. So
    /// that concurrent runs still execute it once, check, run and record happen
    /// under an exclusive lock on the database's folder.
    private func applyOutsideTransaction(_ file: ParsedMigration, _ started: ContinuousClock.Instant, _ db: Connection) throws(MigrationError) -> StatementsOutcome? {
        try FileSystem.withFolderLock(FileSystem.parent(of: opener.path)) { () throws(MigrationError) -> StatementsOutcome? in
            guard try !alreadyRecorded(file, db) else { return nil }
            try sql("reading the schema") { try foreignKeys.begin(on: db) }
            let before = try sql("reading the schema") { try Schema.read(db, excluding: table.name).definitions }
            let outcome = try runStatements(of: file, on: db, transactional: false)
            try sql("resetting foreign_keys") { try db.execute("PRAGMA foreign_keys = OFF") }
            try checkForeignKeys(file, outcome.writes, db, baseline: nil)
            // VACUUM, ANALYZE, REINDEX, PRAGMA optimize…: no row written (the authorizer saw none) and the
            // same schema objects after: its reverse is "nothing to undo", an empty record.
            let after = try sql("reading the schema") { try Schema.read(db, excluding: table.name).definitions }
            let nothing = outcome.writes.isEmpty && before == after
            return try opener.transaction(db, "recording \(file.filename)") { () throws(MigrationError) -> StatementsOutcome? in
                let empty = #"{"strategy":"\#(RollbackRecord.Strategy.nothing.rawValue)"}"#
                try record(file, started, db, rollback: nothing ? TrackingTable.Rollback(record: empty, changeset: []) : nil)
                return outcome
            }
        }
    }

    private func alreadyRecorded(_ file: ParsedMigration, _ db: Connection) throws(MigrationError) -> Bool {
        try sql("reading \(table.name)") { try table.contains(file.filename, on: db) }
    }

    private func record(
        _ file: ParsedMigration, _ started: ContinuousClock.Instant, _ db: Connection, rollback: TrackingTable.Rollback? = nil
    ) throws(MigrationError) {
        let row = AppliedMigration(
            filename: file.filename, appliedAt: Int64(time(nil)), checksum: file.checksum,
            durationMilliseconds: Int64(started.millisecondsElapsed))
        try sql("recording \(file.filename)") { try table.record(row, rollback: rollback, on: db) }
    }

    private func checkForeignKeys(
        _ file: ParsedMigration, _ writes: TableWrites, _ db: Connection, baseline: ViolationBaseline?
    ) throws(MigrationError) {
        let found = try sql("checking foreign keys") { try foreignKeys.violations(after: writes, on: db) }
        let new = baseline?.added(in: found) ?? found
        if !new.isEmpty { throw .foreignKeyViolations(file: file.path, new) }
    }
}
