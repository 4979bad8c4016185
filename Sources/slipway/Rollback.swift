import ArgumentParser
import MigrationCore

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Undo the newest applied migrations with their generated (or written) reverse, newest first.",
        discussion: """
            Each migration is undone in its own transaction with the removal of its tracking row. \
            What cannot be restored is listed before anything runs, and rollback then refuses \
            unless --accept-data-loss is given.
            """)

    @Argument(help: "A deploy target (rolls back code and database together; comes with the deploy pipeline).")
    var target: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many of the newest migrations to undo.")
    var steps: Int = 1

    @Option(name: .customLong("to"), help: "Undo every migration applied after this one (which stays applied).")
    var toFile: String?

    @Flag(name: .customLong("dry-run"), help: "Print the reverse SQL and what it restores; change nothing.")
    var dryRun = false

    @Flag(name: .customLong("accept-data-loss"), help: "Roll back even when rows written since would be lost.")
    var acceptDataLoss = false

    @Flag(help: "Print one JSON object per line; the last one is the summary.")
    var json = false

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be 1 or more") }
        if target != nil {
            throw ValidationError("rolling back a deploy target is part of the deploy pipeline, not available yet; "
                + "`slipway rollback` without a target rolls back migrations")
        }
    }

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        var options = RollbackOptions()
        options.steps = steps
        options.target = toFile
        options.dryRun = dryRun
        options.acceptDataLoss = acceptDataLoss
        options.table = settings.table
        let render = RollbackRenderer(reporter: reporter)
        let rollbacker = Rollbacker(directory: settings.directory, database: settings.opener()!, options: options, events: render.render)
        do {
            try rollbacker.run()
            render.summary(rolledBack: rollbacker.rolledBack.count, dryRun: dryRun, ok: true)
        } catch {
            let exit = reporter.fail(error)
            render.summary(rolledBack: rollbacker.rolledBack.count, dryRun: dryRun, ok: false)
            throw exit
        }
    }
}

/// `rollback`'s events as lines.
struct RollbackRenderer {
    let reporter: Reporter

    func render(_ event: RollbackEvent) {
        let out = reporter.out
        switch event {
        case .start(let database, let migrations):
            if reporter.json {
                var e = JSONEvent("start"); e.database = database; e.migrations = migrations
                reporter.emit(e)
            } else {
                reporter.say(migrations.isEmpty ? "Database \(database): nothing to roll back"
                    : "Database \(database): rolling back \(migrations.joined(separator: ", "))")
            }
        case .dataLoss(let finding):
            if reporter.json {
                var e = JSONEvent("data_loss"); e.file = finding.filename; e.table = finding.table; e.message = finding.detail
                reporter.emit(e)
            } else {
                reporter.say(out.paint("DATA LOSS ", .red) + finding.description)
            }
        case .planned(let filename, let source, let steps):
            if reporter.json {
                var e = JSONEvent("plan"); e.file = filename; e.source = source; e.steps = steps.map(\.description)
                reporter.emit(e)
            } else {
                reporter.say("PLAN     \(filename) (\(source)):")
                for step in steps { reporter.say(step.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")) }
            }
        case .rolledBack(let filename, let ms):
            if reporter.json {
                var e = JSONEvent("rolled_back"); e.file = filename; e.durationMs = ms
                reporter.emit(e)
            } else {
                reporter.say(out.paint("ROLLBACK ", .green) + "\(filename) (\(seconds(ms)))")
            }
        }
    }

    func summary(rolledBack: Int, dryRun: Bool, ok: Bool) {
        if reporter.json {
            var e = JSONEvent("summary"); e.rolledBack = rolledBack; e.dryRun = dryRun; e.ok = ok
            reporter.emit(e)
        } else if ok {
            reporter.say(dryRun ? "Dry run (nothing changed)." : "Done: \(rolledBack) rolled back.")
        }
    }
}
