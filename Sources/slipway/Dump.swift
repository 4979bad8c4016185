import ArgumentParser
import MigrationCore

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the schema as SQL: tables, indexes, views, triggers in dependency order. Changes nothing.",
        discussion: """
            The statements are SQLite's own text, ordered by name within dependency order, so two dumps \
            of one schema are byte-identical and the dump run in an empty database gives the schema back. \
            The tracking table, slipway's _slipway_* tables and sqlite_* are left out.             With several databases (--db repeated or a pattern), the one schema they share is printed;             databases whose schema differs from the first are named on stderr and the exit status is 1.
            """)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve(many: true) } catch { throw reporter.fail(error) }
        var dumps: [(path: String, dump: String)] = []
        do {
            for path in settings.selection.paths {
                let opener = DatabaseOpener(path: path, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
                dumps.append((path, try DatabaseSchema.read(opener, table: settings.table, detail: .definitions).dump))
            }
        } catch {
            throw reporter.fail(error)
        }
        guard let first = dumps.first else { return }
        reporter.out.write(Array(first.dump.utf8))
        // Tenants that should share one schema and do not: said, not hidden by printing the first.
        let differing = dumps.dropFirst().filter { $0.dump != first.dump }.map(\.path)
        guard differing.isEmpty else {
            reporter.report(DeployFailure("the schema of \(differing.joined(separator: ", ")) differs from \(first.path)'s (printed); "
                + "`slipway dump --db` one of them to compare"))
            throw Exit.failure
        }
    }
}
