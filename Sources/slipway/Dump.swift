import ArgumentParser
import MigrationCore

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the schema as SQL: tables, indexes, views, triggers in dependency order. Changes nothing.",
        discussion: """
            The statements are SQLite's own text, ordered by name within dependency order, so two dumps \
            of one schema are byte-identical and the dump run in an empty database gives the schema back. \
            The tracking table, slipway's _slipway_* tables and sqlite_* are left out.
            """)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        do {
            let schema = try DatabaseSchema.read(settings.opener()!, table: settings.table, detail: .definitions)
            reporter.out.write(Array(schema.dump.utf8))
        } catch {
            throw reporter.fail(error)
        }
    }
}
