import ArgumentParser
import MigrationCore

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check pending migrations on a copy of the database: destructive changes, unrestorable data, SQLite traps.",
        discussion: """
            Each pending migration runs on a temporary copy of the database, as the earlier pending ones leave it; \
            the database itself is only read. Every finding names the statement's file:line:column and its rule. \
            Exit 0 with warnings only, 1 when a migration cannot succeed (or on any finding with --strict).
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object per finding, then a summary.")
    var json = false

    @Flag(help: "Exit 1 on any finding, warnings included.")
    var strict = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        let result: (findings: [LintFinding], pending: Int)
        do {
            result = try Linter(directory: settings.directory, database: settings.opener()!, table: settings.table).run()
        } catch {
            throw reporter.fail(error)
        }
        let render = LintRenderer(reporter: reporter)
        for finding in result.findings { render.finding(finding) }
        let errors = result.findings.filter(\.code.isError).count
        render.summary(findings: result.findings.count, errors: errors, pending: result.pending)
        if errors > 0 || (strict && !result.findings.isEmpty) { throw Exit.failure }
    }
}
