import ArgumentParser
import MigrationCore

struct Rehearse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "On a copy of the database: apply the pending migrations, roll them back, compare with the original.",
        discussion: "The original database is only read. Exits 1 on any finding.")

    @Argument(help: "A deploy target in deploy.yml: rehearse on a copy of its database, on each of its hosts (over SSH for a remote one).", completion: .targets)
    var target: String?

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object per line; the last one is the summary.")
    var json = false

    func validate() throws {
        if target != nil, database.db != nil || database.dir != nil {
            throw ValidationError("--db and --dir cannot go with a TARGET: a target's database and migrations come from deploy.yml")
        }
    }

    func run() throws {
        if let target { return try onTarget(target) }
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(many: true) } catch { throw reporter.fail(error) }
        // Each database of a selection in turn: every tenant's data can trip a migration differently.
        var findings = 0
        for path in settings.selection.paths {
            findings += try rehearse(DatabaseOpener(path: path, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds), settings, reporter)
        }
        if settings.selection.isMany && !json {
            reporter.say(findings == 0 ? "Every database rehearsed clean." : "\(count(findings, "problem")) in \(count(settings.selection.paths.count, "database")).")
        }
        if findings > 0 { throw Exit.failure }
    }

    /// One database's rehearsal, reported; returns how many problems it found.
    private func rehearse(_ opener: DatabaseOpener, _ settings: ResolvedSettings, _ reporter: Reporter) throws -> Int {
        let parent = opener.path.contains("/") ? String(opener.path[..<opener.path.lastIndex(of: "/")!]) : "."
        let rehearsal = Rehearsal(
            directory: settings.directory, database: opener, table: settings.table,
            scratchFolder: (parent.isEmpty ? "" : parent) + "/.slipway/rehearsal", logger: makeLogger(verbose: false),
            events: { event in render(event, reporter) })
        let findings: [RehearsalFinding]
        do { findings = try rehearsal.run() } catch { throw reporter.fail(error) }
        if json {
            var e = JSONEvent("summary"); e.findings = findings.count; e.ok = findings.isEmpty
            if settings.selection.isMany { e.database = opener.path }
            reporter.emit(e)
        } else {
            reporter.say(findings.isEmpty ? "Rehearsal clean: every pending migration applies and reverses to the identical schema and rows."
                : "Rehearsal found \(count(findings.count, "problem")); the database was not touched.")
        }
        return findings.count
    }

    private func render(_ event: RehearsalEvent, _ reporter: Reporter) {
        let out = reporter.out
        switch event {
        case .copied(let from, let to):
            if reporter.json { var e = JSONEvent("copied"); e.database = from; e.path = to; reporter.emit(e) }
            else { reporter.say("Rehearsing on a copy of \(from)") }
        case .empty(let database, let scratch):
            if reporter.json { var e = JSONEvent("empty"); e.database = database; e.path = scratch; reporter.emit(e) }
            else { reporter.say("Rehearsing on an empty database: \(database) does not exist yet (a first deploy starts from empty)") }
        case .applied(let filename):
            if reporter.json { var e = JSONEvent("applied"); e.file = filename; reporter.emit(e) }
            else { reporter.say(out.paint("APPLY    ", .green) + filename) }
        case .reversed(let filename, let identical):
            if reporter.json { var e = JSONEvent("reversed"); e.file = filename; e.ok = identical; reporter.emit(e) }
            else { reporter.say((identical ? out.paint("REVERSED ", .green) : out.paint("DIFFERS  ", .red)) + filename) }
        case .finding(let finding):
            if reporter.json { var e = JSONEvent("finding"); e.file = finding.filename; e.message = finding.problem; reporter.emit(e) }
            else { reporter.say(out.paint("FINDING  ", .red) + finding.description) }
        }
    }
}

extension Rehearse {
    /// `rehearse TARGET`: slipway's own `rehearse` run on each host of the target, in its folder,
    /// so the copy is made from the real database where it lives (and stays there).
    func onTarget(_ target: String) throws {
        let options = try DeployOptions.parse((database.config.map { ["--config", $0] } ?? []) + (json ? ["--json"] : []))
        let session = try TargetSession(target: target, options: options)
        let db = session.spec.database
        guard let path = db.path else {
            session.reporter.report(DeployFailure("deploy.yml has no database.path to rehearse on"))
            throw Exit.invalidInput
        }
        var arguments = ["rehearse", "--db", path, "--dir", db.migrations ?? "migrations"]
        if let table = db.table { arguments += ["--table", table] }
        if json { arguments.append("--json") }
        let command = session.plan.slipway(arguments)
        try session.each(summary: false) { host in
            let result = host.executor.run(command) { host.events(.output(step: 0, line: $0)) }
            return result.succeeded ? .planned : .refused("the rehearsal on \(host.place) did not pass (\(result.description))")
        }
    }
}
