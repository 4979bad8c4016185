import Logging
import Synchronization

/// `migrate` over many database files that take the same migrations (a database per
/// tenant or shard): `jobs` at a time, each run exactly as one `Migrator` runs alone
/// (its transactions, lock, backup, recording, drift checks), each on its own
/// connection, closed as soon as it is done. A failure stops new databases from
/// starting unless `keepGoing`, and never touches the others; `cancel()` stops
/// every running one at its statement and starts no more.
public final class ParallelMigration: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var database: String
        public var summary: MigrationSummary
        public var error: MigrationError?
    }

    let databases: [String]
    let directory: MigrationDirectory
    let options: MigrateOptions
    let busyTimeoutMilliseconds: Int
    let jobs: Int
    let keepGoing: Bool
    let logger: Logger
    let events: @Sendable (String, MigrationEvent) -> Void
    let started: @Sendable (String) -> Void
    let finished: @Sendable (Outcome) -> Void
    private let state = Mutex<(cancelled: Bool, running: [Int: Cancellation])>((false, [:]))

    public init(
        databases: [String], directory: MigrationDirectory, options: MigrateOptions, busyTimeoutMilliseconds: Int,
        jobs: Int, keepGoing: Bool, logger: Logger,
        events: @escaping @Sendable (String, MigrationEvent) -> Void,
        started: @escaping @Sendable (String) -> Void = { _ in },
        finished: @escaping @Sendable (Outcome) -> Void = { _ in }
    ) {
        self.databases = databases
        self.directory = directory
        self.options = options
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.jobs = jobs
        self.keepGoing = keepGoing
        self.logger = logger
        self.events = events
        self.started = started
        self.finished = finished
    }

    /// One outcome per database, in `databases` order; nil for those never started.
    public func run() -> [Outcome?] {
        let databases = self.databases
        // Read and hashed once for all; a folder that cannot be read fails each database as it would alone.
        let directory = (try? self.directory.loadedOnce()) ?? self.directory
        return WorkPool(count: databases.count, parallel: jobs, stopOnFailure: !keepGoing)
            .run(canStart: { !self.isCancelled }) { index in
                let outcome = self.migrate(index, databases[index], directory)
                return (outcome.error == nil, outcome)
            }
    }

    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    public func cancel() {
        let running = state.withLock { s in
            s.cancelled = true
            return Array(s.running.values)
        }
        running.forEach { $0.cancel() }
    }

    private func migrate(_ index: Int, _ database: String, _ directory: MigrationDirectory) -> Outcome {
        var options = self.options
        // The databases share one schema: `schema_file` is written from the first only, never by two threads.
        if index != 0 { options.schemaFile = nil }
        let migrator = Migrator(
            directory: directory, database: DatabaseOpener(path: database, busyTimeoutMilliseconds: busyTimeoutMilliseconds),
            options: options, logger: logger, events: { [events] in events(database, $0) })
        let cancelled = state.withLock { s in
            s.running[index] = migrator.cancellation
            return s.cancelled
        }
        if cancelled { migrator.cancellation.cancel() }
        started(database)
        var outcome = Outcome(database: database, summary: MigrationSummary(), error: nil)
        do { try migrator.run() } catch { outcome.error = error }
        outcome.summary = migrator.summary
        _ = state.withLock { $0.running.removeValue(forKey: index) }
        finished(outcome)
        return outcome
    }
}
