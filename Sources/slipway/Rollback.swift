import ArgumentParser
import MigrationCore

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo the newest applied migrations; with TARGET, undo a deploy: code and database together.",
        discussion: """
            Without TARGET: the newest applied migration (or --steps N, --to FILE, --migration FILE) \
            is undone, newest first, all in one transaction together with the removal of their \
            tracking rows. Each is undone by the file's down section as recorded when it was \
            applied; without one, by the reverse slipway generated while it ran: the schema \
            objects it created, changed or dropped put back (from the schema before it), and \
            its row changes undone (its SQLite session changeset inverted, or copies of the \
            tables it rewrote). A row adopted from the sql.js runner has nothing recorded and \
            needs a down section. What cannot be restored (rows written since into a table the \
            migration created, values in a column it added) is listed before anything is \
            committed, and rollback then refuses unless --accept-data-loss is given.

            With TARGET: the target's newest deploy that changed something (or --to ID) is \
            rolled back on each of its hosts under the deploy lock: its stop steps, its \
            migrations undone as above, `git reset --hard` to the revision before it, then its \
            build and start steps. It is journaled as a rollback; `slipway history TARGET` shows it.
            """)

    @Argument(help: "A deploy target in deploy.yml: roll its last deploy back, code and database together.", completion: .targets)
    var target: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many of the newest migrations to undo. Default: 1.")
    var steps: Int?

    @Option(name: .customLong("to"), help: "Without TARGET: undo every migration applied after this one (which stays applied). With TARGET: the deploy id to roll back (default: the newest deploy that changed something and is not rolled back yet).")
    var toFile: String?

    @Option(name: .customLong("migration"), help: "Undo exactly this applied migration, by filename or number (repeatable; newest first). What `rollback TARGET` runs on the target.")
    var migrations: [String] = []

    @Flag(name: .customLong("if-applied"), help: "With --migration: skip a named migration that is not applied to a database instead of refusing (what `rollback TARGET` passes when database.path is a pattern).")
    var ifApplied = false

    @Flag(name: .customLong("force-unlock"), help: "With TARGET: remove a stale deploy lock left by a process that died.")
    var forceUnlock = false

    @Flag(name: .customLong("accept-new-host-key"), help: "With a remote TARGET: trust a host seen for the first time. A changed key is never accepted.")
    var acceptNewHostKey = false

    @Flag(name: .customLong("dry-run"), help: "Print the reverse SQL and what it restores; change nothing.")
    var dryRun = false

    @Flag(name: .customLong("accept-data-loss"), help: "Roll back even when rows written since would be lost.")
    var acceptDataLoss = false

    @Flag(help: "Also roll back, first, the applied migrations whose '-- requires:' header needs one being rolled back.")
    var cascade = false

    @Flag(help: "Print one JSON object per line; the last one is the summary.")
    var json = false

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be 1 or more") }
        if target != nil {
            let misplaced = [("--steps", steps != nil), ("--migration", !migrations.isEmpty), ("--db", database.db != nil),
                             ("--dir", database.dir != nil), ("--table", database.table != nil), ("--cascade", cascade),
                            ("--if-applied", ifApplied)].filter(\.1).map(\.0)
            if !misplaced.isEmpty {
                throw ValidationError("\(misplaced.joined(separator: ", ")) cannot go with a TARGET: a target's database and migrations come from deploy.yml")
            }
        } else {
            if forceUnlock { throw ValidationError("--force-unlock goes with a TARGET (the deploy lock is a target's)") }
            if ifApplied && migrations.isEmpty { throw ValidationError("--if-applied goes with --migration") }
            if !migrations.isEmpty && (steps != nil || toFile != nil) {
                throw ValidationError("--migration names exactly what to undo: it cannot go with --steps or --to")
            }
        }
    }

    func run() throws {
        if let target {
            let options = try DeployOptions.parse(
                (database.config.map { ["--config", $0] } ?? []) + (json ? ["--json"] : []) + (forceUnlock ? ["--force-unlock"] : [])
                    + (acceptNewHostKey ? ["--accept-new-host-key"] : []))
            try DeployRollback(target: target, options: options, deployID: toFile, dryRun: dryRun, acceptDataLoss: acceptDataLoss).run()
            return
        }
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(many: true) } catch { throw reporter.fail(error) }
        var options = RollbackOptions()
        options.steps = steps ?? 1
        options.target = toFile
        options.filenames = migrations.isEmpty ? nil : migrations
        options.ifApplied = ifApplied
        options.dryRun = dryRun
        options.acceptDataLoss = acceptDataLoss
        options.cascade = cascade
        options.table = settings.table
        if settings.selection.isMany { return try rollbackMany(settings, options, reporter) }
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
                reporter.say("PLAN     \(filename) (\(source))" + (steps.isEmpty ? ": no step (it changed no schema object and no row)" : ":"))
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
