import Logging

#if canImport(Glibc)
import Glibc
#endif
import SQLiteKit

/// What rehearsal found for one pending migration.
public struct RehearsalFinding: Sendable, Equatable, CustomStringConvertible {
    public var filename: String
    public var problem: String

    public var description: String { "\(filename): \(problem)" }
}

/// What `rehearse` reports as it goes.
public enum RehearsalEvent: Sendable, Equatable {
    case copied(from: String, to: String)
    /// The database does not exist yet: the rehearsal starts from an empty one (a first deploy's start).
    case empty(database: String, scratch: String)
    case applied(filename: String)
    case reversed(filename: String, identical: Bool)
    case finding(RehearsalFinding)
}

/// Applies the pending migrations to a copy of the database (SQLite's backup
/// API), rolls them back one by one, and compares each step with the state
/// before it. The original is only read. Findings: a migration that fails on
/// the real data, a rollback that fails, or one that does not give back the
/// schema and rows that were there before.
public struct Rehearsal {
    let directory: MigrationDirectory
    let opener: DatabaseOpener
    let table: TrackingTable
    let scratchFolder: String
    let logger: Logger
    let emit: (RehearsalEvent) -> Void

    public init(directory: MigrationDirectory, database: DatabaseOpener, table: TrackingTable = TrackingTable(),
                scratchFolder: String, logger: Logger, events: @escaping (RehearsalEvent) -> Void) {
        self.directory = directory
        self.opener = database
        self.table = table
        self.scratchFolder = scratchFolder
        self.logger = logger
        self.emit = events
    }

    /// Returns the findings; an empty list means every pending migration applies and reverses cleanly.
    /// A database that does not exist yet is rehearsed as an empty one: the state a first deploy starts from.
    public func run() throws(MigrationError) -> [RehearsalFinding] {
        let original = try opener.openForReading()
        // Beside the database when its folder exists; never a folder made only for the scratch copy.
        let parent = FileSystem.parent(of: opener.path)
        let folder = original != nil || FileSystem.kind(parent) == .directory ? scratchFolder
            : FileSystem.join(getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp", "slipway-rehearsal-\(getpid())")
        try FileSystem.makeDirectories(folder)
        let copy = FileSystem.join(folder, FileSystem.basename(opener.path) + ".rehearsal")
        FileSystem.remove(copy)
        defer {
            FileSystem.remove(copy)
            FileSystem.remove(copy + "-journal")
            if folder != scratchFolder { rmdir(folder) }
        }
        if let original {
            try opener.run("copying the database") { try original.backup(to: copy) }
            emit(.copied(from: opener.path, to: copy))
        } else {
            emit(.empty(database: opener.path, scratch: copy))
        }
        let copyOpener = DatabaseOpener(path: copy, busyTimeoutMilliseconds: opener.busyTimeoutMilliseconds)
        let pending = Inventory(files: try directory.load(), rows: try rows(copyOpener)).pending
        var states: [(String, DatabaseState)] = []
        var findings: [RehearsalFinding] = []
        func found(_ file: String, _ problem: String) {
            let finding = RehearsalFinding(filename: file, problem: problem)
            findings.append(finding)
            emit(.finding(finding))
        }
        for file in pending {
            let before = try state(copyOpener)
            var options = MigrateOptions()
            options.target = file.filename
            options.table = table
            // `keepRollback` stays nil: every pending migration's own reverse is what is rehearsed.
            let migrator = Migrator(directory: directory, database: copyOpener, options: options, logger: logger, events: { _ in })
            do {
                try migrator.run()
            } catch {
                found(file.filename, "fails on a copy of the real data: \(error)")
                break
            }
            states.append((file.filename, before))
            emit(.applied(filename: file.filename))
        }
        for (filename, before) in states.reversed() {
            var options = RollbackOptions()
            options.table = table
            do {
                try Rollbacker(directory: directory, database: copyOpener, options: options, events: { _ in }).run()
            } catch {
                found(filename, "does not roll back: \(error)")
                break
            }
            let differences = try state(copyOpener).differences(from: before)
            for difference in differences { found(filename, "does not reverse cleanly: \(difference)") }
            emit(.reversed(filename: filename, identical: differences.isEmpty))
        }
        return findings
    }

    private func rows(_ opener: DatabaseOpener) throws(MigrationError) -> [AppliedMigration] {
        guard let db = try opener.openForReading() else { return [] }
        return try opener.run("reading \(table.name)") { try table.rows(on: db) }
    }

    private func state(_ opener: DatabaseOpener) throws(MigrationError) -> DatabaseState {
        let db = try opener.openForWriting()
        return try opener.run("reading the copy") { try DatabaseState(of: db, excluding: table.name) }
    }
}
