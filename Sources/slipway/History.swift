import ArgumentParser
import DeployCore

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show TARGET's deploy journal: id, when, who, revision, migrations, result, duration.")

    @Argument(help: "The target in deploy.yml.")
    var target: String

    @OptionGroup var options: DeployOptions

    func run() throws {
        let session = try TargetSession(target: target, options: options)
        let many = session.places != [.local]
        let (json, target) = (options.json, self.target)
        try session.each(summary: false) { host in
            switch TargetState.read(plan: session.plan, executor: host.executor) {
            case .failure(let refusal): return .refused(refusal.message)
            case .success(let state):
                host.show { $0.history(state, target: target, json: json, host: many ? host.place.description : nil) }
                return .planned
            }
        }
    }
}

extension DeployRenderer {
    /// One host's journal as a table (a row per deploy) or one JSON object per deploy.
    func history(_ state: AgentReply, target: String, json: Bool, host: String?) {
        let deploys = Journal.deploys(state.entries ?? [])
        let lockHolder = state.holder?.deploy
        let stale = state.stale ?? false
        let undoneBy = RollbackChoice(deploys: deploys).rolledBack
        func result(_ d: DeployRecord) -> String {
            guard d.finish == nil else { return d.result }
            if lockHolder == d.id { return stale ? "incomplete (died; stale lock)" : "running" }
            return "incomplete"
        }
        if json {
            for d in deploys {
                var e = DeployJSON("deploy")
                e.id = d.id; e.target = d.start.target; e.startedAt = WallClock.text(d.start.at)
                e.user = d.start.by?.user; e.host = d.start.by?.host
                e.revisionBefore = d.revisionBefore; e.revisionAfter = d.revisionAfter
                e.migrations = d.migrations; e.result = result(d); e.durationMs = d.durationMs
                e.steps = d.steps.count; e.message = d.finish?.message; e.ok = d.result == "succeeded"
                e.kind_ = d.isRollback ? "rollback" : "deploy"
                if d.isRollback { e.rollsBack = d.rollsBack; e.rolledBack = d.rolledBack }
                e.rolledBackBy = undoneBy[d.id]
                e.server = host
                reporter.emit(e)
            }
            return
        }
        guard !deploys.isEmpty else {
            reporter.say("No deploys of \(target)\(host.map { " on \($0)" } ?? "") yet.")
            return
        }
        let header = ["id", "when", "who", "revision", "migrations", "result", "duration"]
        var rows: [[String]] = []
        for d in deploys.reversed() {
            let who = d.start.by.map { "\($0.user)@\($0.host)" } ?? "?"
            let before = d.revisionBefore.map { String($0.prefix(8)) }
            let after = d.revisionAfter.map { String($0.prefix(8)) }
            let revision = switch (before, after) {
            case (let b?, let a?) where a != b: "\(b)→\(a)"
            case (let b?, _): b
            case (nil, let a?): a
            default: "-"
            }
            let migrations = if d.isRollback {
                "undid \(d.rollsBack ?? "?")" + (d.rolledBack.isEmpty ? "" : "; rolled back \(d.rolledBack.count): " + d.rolledBack.joined(separator: ", "))
            } else {
                d.migrations.isEmpty ? "-" : "\(d.migrations.count): " + d.migrations.joined(separator: ", ")
            }
            rows.append([d.id, WallClock.text(d.start.at), who, revision, migrations,
                         result(d) + (undoneBy[d.id].map { " (rolled back by \($0))" } ?? ""), d.durationMs.map(seconds) ?? "-"])
        }
        let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.indices.map { $0 == cells.count - 1 ? cells[$0] : cells[$0].padding(widths[$0] + 1) }.joined()
        }
        if let host { reporter.say("\(host):") }
        reporter.say(line(header))
        for row in rows { reporter.say(line(row)) }
    }
}
