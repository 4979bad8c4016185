import ArgumentParser
import Logging
import Dispatch
import MigrationCore
#if canImport(Glibc)
import Glibc
#endif

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    @Flag(name: .shortAndLong, help: "Also list the files skipped as already applied or adopted, and log debug details to stderr.")
    var verbose = false

    func validate() throws {
        if let keepRollback, keepRollback < 0 { throw ValidationError("--keep-rollback must be 0 or more, not \(keepRollback)") }
    }

    func run() throws {
        let reporter = Reporter(json: json)
        let render = MigrationRenderer(reporter: reporter, verbose: verbose)
        let settings: ResolvedSettings
        do {
            settings = try database.resolve()
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

func makeLogger(verbose: Bool) -> Logger {
    var logger = Logger(label: "slipway") { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = verbose ? .debug : .warning
    return logger
}
