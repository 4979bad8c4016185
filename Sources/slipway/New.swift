import ArgumentParser
import MigrationCore

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create the next numbered migration with up and down sections.")

    @Argument(help: "What the migration does, e.g. add_invoices.")
    var name: String

    // Only where the migrations are: `new` never opens a database.
    @Option(help: "The migrations folder. Default: database.migrations in deploy.yml, else 'migrations'.")
    var dir: String?

    @Option(help: "The deploy spec to read database.migrations from. Default: the nearest deploy.yml in this folder or above, if any.")
    var config: String?

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        let database = try DatabaseOptions.parse((dir.map { ["--dir", $0] } ?? []) + (config.map { ["--config", $0] } ?? []))
        do { settings = try database.resolve(requireDatabase: false, needsMigrations: false) } catch { throw reporter.fail(error) }
        do {
            let path = try MigrationTemplate(directory: settings.directory).create(name: name)
            reporter.say("Created \(path)")
        } catch {
            throw reporter.fail(error)
        }
    }
}
