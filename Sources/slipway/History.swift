import ArgumentParser
import DeployCore

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show TARGET's deploy journal: id, when, who, revision, migrations, result, duration.")

    @Argument(help: "The target in deploy.yml.")
    var target: String

    @Option(help: "The deploy spec. Default: ./deploy.yml.")
    var config: String = "deploy.yml"

    @Flag(help: "Print one JSON object per deploy.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let spec: DeploySpec
        do { spec = try loadSpec(config) } catch { throw reporter.fail(.spec(error)) }
        let plan: Plan
        do {
            plan = try Planner(spec: spec, slipway: "slipway").plan(target: target)
        } catch {
            reporter.report(error)
            throw Exit.invalidInput
        }
        guard spec.target(named: target)?.isLocal == true else {
            reporter.report(DeployFailure("target '\(target)' is remote: its journal is read over SSH, which comes in a later version"))
            throw Exit.failure
        }
        let folder = plan.path + "/.slipway"
        let deploys = Journal(folder: folder).deploys()
        let lock = DeployLock.status(folder: folder)
        let undoneBy = RollbackChoice(deploys: deploys).rolledBack
        func result(_ d: DeployRecord) -> String {
            guard d.finish == nil else { return d.result }
            if let lock, lock.holder?.deploy == d.id { return lock.stale ? "incomplete (died; stale lock)" : "running" }
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
                reporter.emit(e)
            }
            return
        }
        guard !deploys.isEmpty else {
            reporter.say("No deploys of \(target) yet (journal: \(folder)/journal.jsonl).")
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
        reporter.say(line(header))
        for row in rows { reporter.say(line(row)) }
    }
}
