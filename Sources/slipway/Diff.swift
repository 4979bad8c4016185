import ArgumentParser
import MigrationCore

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Write the next migration: from the database's schema to a desired schema file, and back.",
        discussion: """
            The desired file is run in an empty in-memory database (an error names its line and column, exit 2). \
            Tables are created and dropped, columns added and dropped in place when SQLite allows it, and any other \
            table change rebuilds the table keeping its rows; indexes, views and triggers follow. A rename looks like \
            a drop and an add: give --rename old:new (a table) or --rename table.old:new (a column). \
            With nothing to change, nothing is written (exit 0).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("to"), help: "The desired schema, as SQL (e.g. schema.sql, or what `slipway dump` wrote).")
    var desired: String

    @Option(help: "What the migration does, for its filename.")
    var name = "schema_diff"

    @Option(help: "A table or column that was renamed, not dropped and added: old:new or table.old:new. Repeatable.")
    var rename: [String] = []

    func validate() throws {
        for hint in rename where SchemaRename(parsing: hint) == nil {
            throw ValidationError("--rename \(hint): expected old:new (a table) or table.old:new (a column)")
        }
    }

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        let diff = MigrationDiff(directory: settings.directory, opener: settings.opener()!, table: settings.table)
        do {
            switch try diff.write(desiredFile: desired, name: name, renames: rename.compactMap(SchemaRename.init(parsing:))) {
            case .nothingToDo:
                reporter.say("Nothing to do: the database's schema is already \(desired)'s.")
            case .created(let path, let up, let down):
                let undo = up.losesData ? "down left to slipway's recorded reverse (it restores rows too)" : "\(count(down.statements.count, "statement")) down"
                reporter.say("Created \(path) (\(count(up.statements.count, "statement")) up; \(undo))")
                for note in up.notes { reporter.say("  note: \(note)") }
            }
        } catch {
            throw reporter.fail(error)
        }
    }
}
