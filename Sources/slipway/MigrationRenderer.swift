import MigrationCore

/// `migrate`'s events as lines. Human lines keep the sql.js runner's words
/// (`SKIP`, `Statement N: already exists (OK)`) so people reading logs see what they know.
struct MigrationRenderer {
    let reporter: Reporter
    /// SKIP lines only when asked for: on a database with hundreds of applied files they
    /// bury the one line that matters (the summary still counts them).
    var verbose = false

    func render(_ event: MigrationEvent) {
        reporter.json ? json(event) : human(event)
    }

    private func human(_ event: MigrationEvent) {
        let out = reporter.out
        switch event {
        case .start(let database, let files, let pending):
            reporter.say("Database \(database): \(count(files, "migration")), \(pending) pending")
        case .skip(let file, let reason):
            guard verbose else { break }
            reporter.say(out.paint("SKIP     ", .dim) + "\(file) (\(reason.rawValue))", batched: true)
        case .modified(let file, _, _):
            reporter.say(out.paint("MODIFIED ", .yellow) + "\(file) changed after it was applied (never re-run)")
        case .missing(let file):
            reporter.say(out.paint("MISSING  ", .yellow) + "\(file) is recorded but the file is gone")
        case .planned(let file, let statements, let transactional, let reverse):
            let mode = transactional ? "one transaction" : "no transaction"
            reporter.say("PLAN     \(file) (\(count(statements, "statement")), \(mode); rollback: \(reverse.rawValue))")
        case .backup(let path):
            reporter.say("BACKUP   \(path)")
        case .applying:
            break
        case .progress(let file, let statement, let elapsed):
            reporter.progress("  … \(file): statement \(statement), \(seconds(elapsed))")
        case .tolerated(let file, let statement, let line, let message):
            reporter.say(out.paint("WARN     ", .yellow) + "\(file):\(line): Statement \(statement): already exists (OK) — \(message)")
        case .warning(let file, let message):
            reporter.say(out.paint("WARN     ", .yellow) + (file.map { "\($0): " } ?? "") + message)
        case .applied(let file, let statements, let ms, _, _):
            reporter.say(out.paint("APPLY    ", .green) + "\(file) (\(count(statements, "statement")), \(seconds(ms)))")
        case .pruned(let report, let keep):
            reporter.say(out.paint("PRUNE    ", .dim) + "rollback data of \(count(report.pruned.count, "older migration")) (\(bytes(report.bytes))); "
                + "the newest \(keep) keep theirs (database.keep_rollback)")
        case .schemaDumped(let path):
            reporter.say(out.paint("SCHEMA   ", .dim) + "\(path) rewritten (database.schema_file)")
        case .lint(let finding):
            LintRenderer(reporter: reporter).finding(finding)
        }
    }

    private func json(_ event: MigrationEvent) {
        let e = jsonEvent(event)
        reporter.emit(e, batched: e.event == "skip")
    }

    /// The event as its `--json` line (`ManyDatabasesRenderer` adds the database).
    func jsonEvent(_ event: MigrationEvent) -> JSONEvent {
        var e: JSONEvent
        switch event {
        case .start(let database, let files, let pending):
            e = JSONEvent("start"); e.database = database; e.files = files; e.pending = pending
        case .skip(let file, let reason):
            e = JSONEvent("skip"); e.file = file; e.reason = reason.rawValue
        case .modified(let file, let recorded, let actual):
            e = JSONEvent("modified"); e.file = file; e.recorded = recorded; e.checksum = actual
        case .missing(let file):
            e = JSONEvent("missing"); e.file = file
        case .planned(let file, let statements, let transactional, let reverse):
            e = JSONEvent("plan"); e.file = file; e.statements = statements; e.transaction = transactional; e.reversible = reverse.rawValue
        case .backup(let path):
            e = JSONEvent("backup"); e.path = path
        case .applying(let file):
            e = JSONEvent("applying"); e.file = file
        case .progress(let file, let statement, let elapsed):
            e = JSONEvent("progress"); e.file = file; e.statement = statement; e.elapsedMs = elapsed
        case .tolerated(let file, let statement, let line, let message):
            e = JSONEvent("tolerated"); e.file = file; e.statement = statement; e.line = line; e.message = message
        case .warning(let file, let message):
            e = JSONEvent("warning"); e.file = file; e.message = message
        case .applied(let file, let statements, let ms, let tolerated, let us):
            e = JSONEvent("applied"); e.file = file; e.statements = statements; e.durationMs = ms; e.tolerated = tolerated
            e.durationUs = us
        case .pruned(let report, let keep):
            e = JSONEvent("pruned"); e.migrations = report.pruned.map(\.filename); e.bytes = report.bytes; e.keep = keep
        case .schemaDumped(let path):
            e = JSONEvent("schema"); e.path = path
        case .lint(let finding):
            e = LintRenderer.jsonEvent(finding)
        }
        return e
    }

    static func jsonSummary(_ s: MigrationSummary) -> JSONEvent {
        var e = JSONEvent("summary")
        e.applied = s.applied; e.skipped = s.skipped; e.tolerated = s.tolerated; e.pending = s.pending
        e.modified = s.modified; e.missing = s.missing; e.durationMs = s.durationMilliseconds
        e.dryRun = s.dryRun; e.ok = !s.failed
        return e
    }

    func failedSummary() {
        var s = MigrationSummary()
        s.failed = true
        summary(s)
    }

    func summary(_ s: MigrationSummary) {
        if reporter.json {
            reporter.emit(Self.jsonSummary(s))
            return
        }
        var parts = ["\(s.applied) applied", "\(s.skipped) skipped"]
        if s.tolerated > 0 { parts.append("\(s.tolerated) tolerated") }
        if s.pending > 0 { parts.append("\(s.pending) pending") }
        if s.modified > 0 { parts.append("\(s.modified) modified") }
        if s.missing > 0 { parts.append("\(s.missing) missing") }
        let verdict = s.failed ? "Failed" : (s.dryRun ? "Dry run (nothing changed)" : "Done")
        reporter.say("\(verdict): \(parts.joined(separator: ", ")) in \(seconds(s.durationMilliseconds)).")
    }
}

func seconds(_ ms: Int) -> String {
    ms < 1000 ? "\(ms) ms" : "\(ms / 1000).\(ms % 1000 / 100) s"
}

/// `512 bytes`, `12.3 KiB`, `130.0 MiB`, `1.2 GiB`.
func bytes(_ count: Int64) -> String {
    guard count >= 1024 else { return "\(count) byte\(count == 1 ? "" : "s")" }
    var value = Double(count) / 1024
    var unit = 0
    while (value * 10).rounded() >= 10240 && unit < 2 { value /= 1024; unit += 1 }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(["KiB", "MiB", "GiB"][unit])"
}
