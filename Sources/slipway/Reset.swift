import ArgumentParser
import MigrationCore

struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Delete one migration's tracking row so it runs again (replaces migration-reset.mjs).")

    @Argument(help: "The applied migration: its filename (008_fix.sql) or its number (008).")
    var filename: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        let reset: String
        do {
            reset = try settings.table.reset(filename, opener: settings.opener()!)
        } catch {
            throw reporter.fail(error)
        }
        reporter.say("Reset \(reset): it will run again on the next migrate.")
    }
}
