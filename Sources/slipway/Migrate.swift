import ArgumentParser
import Logging
import Dispatch
import MigrationCore
#if canImport(Glibc)
import Glibc
#endif

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations, each in its own transaction with its tracking row.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("to"), help: "Stop after this migration (filename or number).")
    var target: String?

    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing (the database is not even created).")
    var dryRun = false

    @Flag(help: "Back up the database before the first pending migration (also: database.backup in deploy.yml).")
    var backup = false

    @Option(name: .customLong("keep-backups"), help: "How many backups to keep. Default: database.keep_backups in deploy.yml, else 5.")
    var keepBackups: Int?

    @Option(name: .customLong("keep-rollback"),
            help: "Keep rollback data for this many of the newest applied migrations; older ones lose theirs after the run (default 20, or database.keep_rollback; 0: none).")
    var keepRollback: Int?

    @Flag(help: "Fail on 'already exists' and 'duplicate column name' instead of tolerating them.")
    var strict = false

    @Flag(name: .customLong("allow-out-of-order"),
          help: "Apply a pending file that sorts before the newest applied one, or shares its number with another (also: database.out_of_order).")
    var allowOutOfOrder = false

    @Flag(name: .customLong("allow-modified"),
          help: "Go on although applied files changed since they ran (they are reported, never re-run).")
    var allowModified = false

    @Flag(help: "Print one JSON object per line; the last one is the summary.")
    var json = false

    @Flag(name: .customLong("no-record"),
          help: "Do not record what rollback needs (faster on huge data migrations; rollback then needs a down section).")
    var noRecord = false

    @Option(name: .customLong("record-limit"),
            help: "MiB of memory the rollback recording of one migration may use before it runs again behind a backup.")
    var recordLimit: Int = 64

    @Option(help: "With several databases: how many to migrate at a time. Default: the number of cores.")
    var jobs: Int?

    @Flag(name: .customLong("keep-going"), help: "With several databases: start the others after one fails.")
    var keepGoing = false

    @Flag(name: .shortAndLong, help: "Also list the files skipped as already applied or adopted, and log debug details to stderr.")
    var verbose = false

    func validate() throws {
        if let keepRollback, keepRollback < 0 { throw ValidationError("--keep-rollback must be 0 or more, not \(keepRollback)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more, not \(jobs)") }
    }

    func run() throws {
        let reporter = Reporter(json: json)
        let render = MigrationRenderer(reporter: reporter, verbose: verbose)
        let settings: ResolvedSettings
        do {
            settings = try database.resolve(many: true)
        } catch {
            let exit = reporter.fail(error)
            if json { render.failedSummary() }  // --json always ends with a summary
            throw exit
        }
        var options = MigrateOptions()
        options.strict = strict
        options.allowOutOfOrder = allowOutOfOrder || settings.outOfOrder
        options.allowModified = allowModified
        options.dryRun = dryRun
        options.target = target
        options.table = settings.table
        options.reportProgress = !json && Terminal.standardOutput.isTTY
        options.recording = !noRecord
        options.recordingLimit = Int64(max(recordLimit, 1)) << 20
        options.keepRollback = keepRollback ?? settings.keepRollback
        options.schemaFile = settings.schemaFile
        if backup || settings.backupByDefault {
            options.backup = BackupPolicy(keep: keepBackups ?? settings.keepBackups)
        }
        if settings.selection.isMany { return try runMany(settings, options, reporter) }
        let migrator = Migrator(
            directory: settings.directory, database: settings.opener()!, options: options,
            logger: makeLogger(verbose: verbose), events: render.render)
        // Ctrl-C or SIGTERM: interrupt the running statement, roll its migration back, exit 130.
        let cancellation = migrator.cancellation
        let signals = SignalTrap([SIGINT, SIGTERM]) { cancellation.cancel() }
        defer { signals.restore() }
        do {
            try migrator.run()
            render.summary(migrator.summary)
        } catch {
            let exit = reporter.fail(error)
            // After bad input nothing ran: a "Failed: 0 applied" line would only repeat the error.
            if !error.isInvalidInput || json { render.summary(migrator.summary) }  // JSON always ends with its summary
            if case .interrupted = error { throw ExitCode(130) }
            throw exit
        }
    }
}

extension Migrate {
    /// Every selected database, `--jobs` at a time (`ParallelMigration`); exit 1 when
    /// one failed (2 when every failure was bad input), 130 when interrupted.
    func runMany(_ settings: ResolvedSettings, _ options: MigrateOptions, _ reporter: Reporter) throws {
        var options = options
        options.reportProgress = false
        let databases = settings.selection.paths
        let render = ManyDatabasesRenderer(reporter: reporter, total: databases.count)
        let started = ContinuousClock.now
        let run = ParallelMigration(
            databases: databases, directory: settings.directory, options: options,
            busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            jobs: jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), keepGoing: keepGoing, logger: makeLogger(verbose: verbose),
            events: render.event, started: render.started, finished: render.finished)
        let signals = SignalTrap([SIGINT, SIGTERM]) { run.cancel() }
        defer { signals.restore() }
        let outcomes = run.run()
        reporter.clearProgress()
        render.summary(databases, outcomes, milliseconds: Int((ContinuousClock.now - started) / .milliseconds(1)))
        let errors = outcomes.compactMap { $0?.error }
        if run.isCancelled || errors.contains(where: { if case .interrupted = $0 { true } else { false } }) { throw ExitCode(130) }
        if !errors.isEmpty || outcomes.contains(where: { $0 == nil }) {
            for outcome in outcomes.compactMap({ $0 }) where outcome.error != nil && !reporter.json {
                reporter.report(DeployFailure("\(outcome.database): \(outcome.error!)"))
            }
            throw errors.allSatisfy(\.isInvalidInput) && !errors.isEmpty ? Exit.invalidInput : Exit.failure
        }
    }
}

func makeLogger(verbose: Bool) -> Logger {
    var logger = Logger(label: "slipway") { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = verbose ? .debug : .warning
    return logger
}
