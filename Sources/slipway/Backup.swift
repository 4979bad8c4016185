import ArgumentParser
import MigrationCore

/// `slipway backup`: the deploy pipeline's `backup` step, run on the target.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database (SQLite backup API) to .slipway/backups beside it.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many backups to keep. Default: database.keep_backups in deploy.yml, else 5.")
    var keep: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(needsMigrations: false) } catch { throw reporter.fail(error) }
        let path = settings.database!
        let written: String
        do {
            guard let db = try settings.opener()!.openForReading() else {
                reporter.say("no database at \(path) yet: nothing to back up")
                return
            }
            written = try BackupPolicy(keep: keep ?? settings.keepBackups).write(db, databasePath: path, before: nil)
        } catch {
            throw reporter.fail(error)
        }
        if json {
            var e = JSONEvent("backup"); e.path = written; e.ok = true
            reporter.emit(e)
        } else {
            reporter.say("BACKUP   \(written)")
        }
    }
}
