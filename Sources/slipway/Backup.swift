import ArgumentParser
import MigrationCore

/// `slipway backup`: the deploy pipeline's `backup` step, run on the target.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database (SQLite backup API) to .slipway/backups beside it; of each, for a pattern.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many backups to keep. Default: database.keep_backups in deploy.yml, else 5.")
    var keep: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(needsMigrations: false, many: true) } catch { throw reporter.fail(error) }
        // A pattern (a database per tenant, as a deploy's database.path may be): each its own backup beside it.
        for path in settings.selection.paths {
            let written: String
            do {
                let opener = DatabaseOpener(path: path, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
                guard let db = try opener.openForReading() else {
                    reporter.say("no database at \(path) yet: nothing to back up")
                    continue
                }
                written = try BackupPolicy(keep: keep ?? settings.keepBackups).write(db, databasePath: path, before: nil)
            } catch {
                throw reporter.fail(error)
            }
            if json {
                var e = JSONEvent("backup"); e.path = written; e.ok = true
                if settings.selection.isMany { e.database = path }
                reporter.emit(e)
            } else {
                reporter.say("BACKUP   \(written)")
            }
        }
    }
}
