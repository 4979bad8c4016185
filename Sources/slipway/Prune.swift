import ArgumentParser
import MigrationCore

struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Drop the rollback data of migrations older than the newest N (migrate does this after each run).",
        discussion: """
            Their copy tables (_slipway_snap_*, _slipway_cols_*), changesets and backup files go; \
            their records stay, marked pruned, and they roll back only with a '-- migrate:down' section. \
            SQLite keeps the freed pages in the file until VACUUM (--vacuum).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many of the newest applied migrations keep their rollback data (default 20, or database.keep_rollback; 0: none).")
    var keep: Int?

    @Flag(name: .customLong("dry-run"), help: "Say what would be dropped and how much it takes; change nothing.")
    var dryRun = false

    @Flag(help: "Run VACUUM afterwards, so the file shrinks (it rewrites the whole database and needs as much free space).")
    var vacuum = false

    @Flag(help: "Print one JSON object per line; the last one is the summary.")
    var json = false

    func validate() throws {
        if let keep, keep < 0 { throw ValidationError("--keep must be 0 or more, not \(keep)") }
        if dryRun && vacuum { throw ValidationError("--vacuum cannot go with --dry-run: a dry run changes nothing") }
    }

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(needsMigrations: false) } catch { throw reporter.fail(error) }
        let keep = keep ?? settings.keepRollback
        let report: PruneReport
        do {
            report = try RollbackRetention(keep: keep, table: settings.table).run(settings.opener()!, dryRun: dryRun, vacuum: vacuum)
        } catch {
            throw reporter.fail(error)
        }
        json ? renderJSON(report, keep: keep, reporter) : render(report, keep: keep, database: settings.database ?? "", reporter)
    }

    private func render(_ report: PruneReport, keep: Int, database: String, _ reporter: Reporter) {
        for pruned in report.pruned {
            let copies = pruned.copies.count + (pruned.backupPath == nil ? 0 : 1)
            reporter.say(reporter.out.paint(dryRun ? "WOULD    " : "PRUNE    ", .dim)
                + "\(pruned.filename) (\(copies) cop\(copies == 1 ? "y" : "ies"), \(bytes(pruned.bytes)))")
        }
        let n = report.pruned.count
        let newest = "the newest \(keep) applied migration\(keep == 1 ? "" : "s")"
        guard n > 0 else { return reporter.say("Nothing to prune: no migration older than \(newest) holds rollback data.") }
        let what = "the rollback data of \(n) migration\(n == 1 ? "" : "s") older than \(newest): \(bytes(report.bytes))"
        if dryRun { return reporter.say("Would drop \(what); nothing was changed.") }
        reporter.say("Dropped \(what).")
        if let size = report.vacuumedBytes {
            reporter.say("VACUUM: \(database) is now \(bytes(size)).")
        } else {
            reporter.say("SQLite keeps the freed pages in the file for reuse: `slipway prune --vacuum` (or VACUUM) shrinks it.")
        }
    }

    private func renderJSON(_ report: PruneReport, keep: Int, _ reporter: Reporter) {
        for pruned in report.pruned {
            var e = JSONEvent("pruned"); e.file = pruned.filename; e.bytes = pruned.bytes; e.dryRun = dryRun
            reporter.emit(e)
        }
        if let size = report.vacuumedBytes {
            var e = JSONEvent("vacuum"); e.bytes = size
            reporter.emit(e)
        }
        var s = JSONEvent("summary")
        s.pruned = report.pruned.count; s.bytes = report.bytes; s.keep = keep; s.dryRun = dryRun; s.ok = true
        reporter.emit(s)
    }
}
