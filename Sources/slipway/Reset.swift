import ArgumentParser
import MigrationCore

struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete one migration's tracking row so it runs again (replaces migration-reset.mjs).")

    @Argument(help: "The exact filename of the applied migration, e.g. 008_fix.sql.")
    var filename: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        do {
            try settings.table.reset(filename, opener: settings.opener()!)
        } catch {
            throw reporter.fail(error)
        }
        reporter.say("Reset \(filename): it will run again on the next migrate.")
    }
}
