import ArgumentParser
import MigrationCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Fail on modified or missing migrations and duplicate numbers; warn on gaps and unnumbered names.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object per finding, then a summary.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(requireDatabase: false, many: true) } catch { throw reporter.fail(error) }
        let many = settings.selection.isMany
        var failed = false
        // Each database of a selection, or the one (none: the files alone).
        let databases: [String?] = many ? settings.selection.paths : [settings.database]
        for path in databases {
            var one = settings
            one.database = path
            if many, let path, !json { reporter.say("\(path):") }
            if try !validate(one, reporter, database: many ? path : nil) { failed = true }
        }
        if failed { throw Exit.failure }
    }

    /// The findings for one database (or for the files alone when there is none); false when one is an error.
    private func validate(_ settings: ResolvedSettings, _ reporter: Reporter, database: String?) throws -> Bool {
        let findings: [ValidationFinding]
        let fileCount: Int
        do {
            let files = try settings.directory.load()
            fileCount = files.count
            findings = Validator(files: files, rows: try readRows(settings)).findings()
        } catch {
            throw reporter.fail(error)
        }
        // Every pending statement prepared as migrate would run it (on a copy of the schema, no rows).
        var statement: StatementFailure?
        var checkOptions = MigrateOptions()
        checkOptions.table = settings.table
        checkOptions.recording = false
        let checker = Migrator(directory: settings.directory,
                               database: settings.opener() ?? DatabaseOpener(path: ":memory:"),  // no database: all pending, on an empty schema
                               options: checkOptions, logger: makeLogger(verbose: false), events: { _ in })
        do {
            try checker.checkPending()
        } catch .statementFailed(let failure) {
            statement = failure
        } catch {
            throw reporter.fail(error)
        }
        let errors = findings.filter { $0.severity == .error }.count + (statement == nil ? 0 : 1)
        if json {
            for finding in findings {
                var e = JSONEvent("finding")
                e.severity = finding.severity.rawValue; e.file = finding.filename; e.message = finding.message; e.database = database
                reporter.emit(e)
            }
            if let statement {
                var e = JSONEvent("finding")
                e.severity = "error"; e.file = statement.location.file; e.line = statement.location.line
                e.column = statement.location.column; e.statement = statement.statementIndex; e.sql = statement.statement
                e.message = statement.sqliteMessage; e.hint = statement.hint; e.database = database
                reporter.emit(e)
            }
            var s = JSONEvent("summary")
            s.files = fileCount; s.errors = errors; s.warnings = findings.count - errors; s.ok = errors == 0; s.database = database
            reporter.emit(s)
        } else {
            if settings.database == nil {
                reporter.say("note: no database configured; checked the files only (pass --db to compare with the tracking table)")
            }
            for finding in findings {
                let label = finding.severity == .error ? reporter.out.paint("error", .red) : reporter.out.paint("warning", .yellow)
                reporter.say("\(label): \(finding.filename): \(finding.message)")
            }
            if let statement { reporter.say(statement.description) }
            reporter.say(errors == 0
                ? "\(count(fileCount, "migration")) valid\(findings.isEmpty ? "" : " (\(count(findings.count, "warning")))")."
                : "\(count(errors, "error")) in \(count(fileCount, "migration")).")
        }
        return errors == 0
    }
}
