import DeployCore

/// A deploy's events as human lines (a header per step, its output as it comes,
/// its time and status, a summary table) or one JSON object per event.
struct DeployRenderer: Sendable {
    let reporter: Reporter
    /// The fleet's host these events come from: its name prefixes every line.
    var host: String?

    init(reporter: Reporter, host: String? = nil) {
        self.reporter = reporter
        self.host = host
    }

    /// A human line, prefixed with the host in a fleet.
    func say(_ text: String) {
        guard let host else { return reporter.say(text) }
        reporter.say(text.split(separator: "\n", omittingEmptySubsequences: false).map { "\(host) │ " + $0 }.joined(separator: "\n"))
    }

    /// `deploy --dry-run`: each step and the exact command it runs on each host.
    func plan(_ plan: Plan, hosts: [Place] = [.local]) {
        let remote = hosts != [.local]
        if reporter.json {
            for step in plan.steps + plan.onFailure {
                var e = DeployJSON("plan"); e.step = step.number; e.name = step.name; e.kind = step.kind.name
                e.command = plan.masker.mask(step.command.shellLine()); e.timeout = step.command.timeout
                e.retries = step.retries; e.continueOnError = step.continueOnError
                if remote { e.hosts = hosts.map(\.description) }
                reporter.emit(e)
            }
            return
        }
        reporter.say("Plan for \(plan.app.map { "\($0) on " } ?? "")\(plan.target) (\(plan.path)), \(count(plan.steps.count, "step")); dry run, nothing runs:")
        if remote {
            reporter.say("  on \(count(hosts.count, "host")) over SSH: \(hosts.map(\.description).joined(separator: ", "))")
            reporter.say("  each host runs: \(plan.slipway.shell(revealing: false)) agent lock --path \(Command.quote(plan.path)) … (this build of")
            reporter.say("  slipway, uploaded when missing), which holds the lock, writes the journal and runs each step below there")
        }
        for step in plan.steps {
            var notes: [String] = []
            if let t = step.command.timeout { notes.append("timeout \(t) s") }
            if step.retries > 0 { notes.append("retries \(step.retries)") }
            if step.continueOnError { notes.append("continue on error") }
            reporter.say("  \(step.number). \(step.name)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"))
            reporter.say("     $ " + plan.masker.mask(step.command.shellLine()))
        }
        if !plan.onFailure.isEmpty {
            reporter.say("  If a step fails after an earlier one changed something, then:")
            for step in plan.onFailure {
                reporter.say("  \(step.number). \(step.name)")
                reporter.say("     $ " + plan.masker.mask(step.command.shellLine()))
            }
        }
    }

    /// A line about the run as a whole (the staging gate).
    func note(_ text: String) {
        if reporter.json {
            var e = DeployJSON("note"); e.message = text
            reporter.emit(e)
        } else {
            reporter.say(reporter.out.paint(text, .bold))
        }
    }

    func preflight(_ check: Preflight.Check) {
        render(.preflight(check: check.name, ok: check.ok, detail: check.detail))
    }

    func render(_ event: DeployEvent) { render(event, host: nil) }

    /// `host`: which host of a fleet the event is from; its lines are prefixed with it.
    func render(_ event: DeployEvent, host: String?) {
        guard let host else { return reporter.json ? json(event) : human(event) }
        DeployRenderer(reporter: reporter, host: host).render(event)
    }

    private func human(_ event: DeployEvent) {
        let out = reporter.out
        switch event {
        case .preflight(let check, let ok, let detail):
            say("preflight \(check): " + (ok ? out.paint("ok", .green) : out.paint("FAILED", .red)) + " — \(detail)")
        case .started(let id, let plan):
            if let undone = plan.rollsBack {
                say(out.paint("Rollback \(id): undoes deploy \(undone) of \(plan.app.map { "\($0) on " } ?? "")\(plan.target) (\(plan.path)), \(count(plan.steps.count, "step"))", .bold))
            } else {
                say(out.paint("Deploy \(id): \(plan.app.map { "\($0) to " } ?? "")\(plan.target) (\(plan.path)), \(count(plan.steps.count, "step"))", .bold))
            }
        case .dataLoss(let file, let table, let detail):
            say(out.paint("DATA LOSS ", .red) + "\(file): \(table): \(detail)")
        case .stepStarted(let step, let attempt):
            say(out.paint("[\(step.number)] \(step.name)", .bold) + (attempt > 1 ? " (attempt \(attempt) of \(step.retries + 1))" : ""))
        case .output(_, let line), .migration(_, let line, _):
            say(out.paint("    │ ", .dim) + line)
        case .stepFinished(let o):
            let time = seconds(o.durationMilliseconds)
            switch o.status {
            case .ok: say("    " + out.paint("✓ ok", .green) + " in \(time)")
            case .ignored: say("    " + out.paint("✗ \(o.result?.description ?? "failed"), ignored (continue_on_error)", .yellow) + " in \(time)")
            default: say("    " + out.paint("✗ \(o.status.rawValue): \(o.result?.description ?? "")", .red) + " in \(time)")
            }
        case .finished(let outcome):
            summary(outcome)
        }
    }

    private func summary(_ outcome: DeployOutcome) {
        let out = reporter.out
        say("")
        var table = Table(header: ["#", "STEP", "STATUS", "TIME"], indent: "  ")
        table.rows = outcome.steps.map { o in
            ["\(o.step.number)", o.step.name, o.status.rawValue, o.status == .notRun ? "-" : seconds(o.durationMilliseconds)]
        }
        table.lines().forEach(say)
        let what = outcome.rollsBack == nil ? "Deploy" : "Rollback"
        let verdict = switch outcome.result {
        case .succeeded: out.paint("\(what) \(outcome.id) succeeded", .green)
        case .failed: out.paint("\(what) \(outcome.id) FAILED", .red)
        case .interrupted: out.paint("\(what) \(outcome.id) INTERRUPTED", .red)
        }
        var facts: [String] = []
        if let before = outcome.revisionBefore, let after = outcome.revisionAfter {
            facts.append(before == after ? "revision \(before.prefix(8))" : "revision \(before.prefix(8)) → \(after.prefix(8))")
        }
        if let undone = outcome.rollsBack {
            facts.append("deploy \(undone) undone")
            facts.append(count(outcome.rolledBack.count, "migration") + " rolled back")
        } else {
            facts.append(count(outcome.migrations.count, "migration") + " applied")
        }
        say("\(verdict) in \(seconds(outcome.durationMilliseconds)) (\(facts.joined(separator: ", "))).")
        if let journal = outcome.journalError { say(out.paint("journal: ", .red) + journal) }
        for line in outcome.advice { say("  " + line) }
    }

    private func json(_ event: DeployEvent) {
        var e: DeployJSON
        switch event {
        case .preflight(let check, let ok, let detail):
            e = DeployJSON("preflight"); e.check = check; e.ok = ok; e.message = detail
        case .started(let id, let plan):
            e = DeployJSON("start"); e.id = id; e.target = plan.target; e.steps = plan.steps.count; e.rollsBack = plan.rollsBack
        case .dataLoss(let file, let table, let detail):
            e = DeployJSON("data_loss"); e.file = file; e.table = table; e.message = detail
        case .stepStarted(let step, let attempt):
            e = DeployJSON("step"); e.step = step.number; e.name = step.name; e.kind = step.kind.name; e.attempt = attempt
            e.command = step.command.render()
        case .output(let step, let line):
            e = DeployJSON("output"); e.step = step; e.line = line
        case .migration(let step, let text, let file):
            e = DeployJSON("migration"); e.step = step; e.line = text; e.file = file
        case .stepFinished(let o):
            e = DeployJSON("step_finished"); e.step = o.step.number; e.name = o.step.name; e.status = o.status.rawValue
            e.exitCode = o.result?.exitCode; e.durationMs = o.durationMilliseconds; e.attempt = o.attempts
            e.ok = o.status == .ok || o.status == .ignored
            if o.step.kind == .migrate { e.migrations = o.migrations }
            if case .rollbackMigrations = o.step.kind { e.rolledBack = o.rolledBack }
            e.revisionBefore = o.revisionBefore; e.revisionAfter = o.revisionAfter
            if let r = o.result, !r.succeeded { e.message = r.description }
        case .finished(let outcome):
            e = DeployJSON(host == nil ? "summary" : "host_summary"); e.id = outcome.id; e.result = outcome.result.rawValue; e.ok = outcome.result == .succeeded
            e.durationMs = outcome.durationMilliseconds; e.migrations = outcome.migrations
            e.revisionBefore = outcome.revisionBefore; e.revisionAfter = outcome.revisionAfter
            e.advice = outcome.advice.isEmpty ? nil : outcome.advice
            if let journal = outcome.journalError { e.message = journal }
            if outcome.rollsBack != nil { e.rollsBack = outcome.rollsBack; e.rolledBack = outcome.rolledBack }
        }
        e.server = host
        reporter.emit(e)
    }
}
