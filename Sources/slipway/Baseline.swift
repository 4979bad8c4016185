import ArgumentParser
import DeployCore
import MigrationCore

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record checksums for migrations another tool applied, so later edits to them are noticed.",
        discussion: """
            The sql.js runner recorded filenames only: slipway takes those rows as applied ("adopted") \
            but cannot tell when such a file is edited. baseline stores each adopted file's checksum now, \
            journaled in its row. With --to, pending files up to that one are also recorded as applied \
            without running them, for a database whose schema was made by hand (Flyway's baseline).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("to"), help: "Also record pending files up to this one (filename or number) as applied, without running them.")
    var upTo: String?

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        let result: BaselineResult
        do {
            result = try settings.table.baseline(
                files: try settings.directory.load(), upTo: upTo, by: Identity.loginName ?? "unknown",
                at: WallClock.milliseconds() / 1000, opener: settings.opener()!)
        } catch {
            throw reporter.fail(error)
        }
        for name in result.checksummed { reporter.say("BASELINE \(name): checksum recorded") }
        for name in result.marked { reporter.say("BASELINE \(name): recorded as applied, not run") }
        if result.checksummed.isEmpty && result.marked.isEmpty {
            reporter.say("Nothing to baseline: every applied migration has a checksum.")
        } else {
            let n = result.checksummed.count + result.marked.count
            reporter.say("Baselined \(count(n, "migration")): an edit to \(n == 1 ? "it" : "them") now shows as modified.")
        }
    }
}
