import ArgumentParser
import MigrationCore

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the next numbered migration with up and down sections.")

    @Argument(help: "What the migration does, e.g. add_invoices.")
    var name: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve(requireDatabase: false) } catch { throw reporter.fail(error) }
        do {
            let path = try MigrationTemplate(directory: settings.directory).create(name: name)
            reporter.say("Created \(path)")
        } catch {
            throw reporter.fail(error)
        }
    }
}
