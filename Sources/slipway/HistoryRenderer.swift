import DeployCore

extension DeployRenderer {
    /// The journals of a target's hosts as one table, newest first (a row per deploy and
    /// host), or one JSON object per deploy and host.
    func history(_ journals: [(Place, AgentReply)], target: String, showHosts: Bool) {
        struct Row { var place: Place; var deploy: DeployRecord; var result: String; var undoneBy: String? }
        var rows: [Row] = []
        for (place, state) in journals {
            let deploys = Journal.deploys(state.entries ?? [])
            let undone = RollbackChoice(deploys: deploys).rolledBack
            for d in deploys {
                var result = d.result
                if d.finish == nil, state.holder?.deploy == d.id {
                    result = state.stale == true ? "incomplete (died; stale lock)" : "running"
                }
                rows.append(Row(place: place, deploy: d, result: result, undoneBy: undone[d.id]))
            }
        }
        if reporter.json {
            for row in rows {
                let d = row.deploy
                var e = DeployJSON("deploy")
                e.id = d.id; e.target = d.start.target; e.startedAt = WallClock.text(d.start.at)
                e.user = d.start.by?.user; e.host = d.start.by?.host
                e.revisionBefore = d.revisionBefore; e.revisionAfter = d.revisionAfter
                e.migrations = d.migrations; e.result = row.result; e.durationMs = d.durationMs
                e.steps = d.steps.count; e.message = d.finish?.message; e.ok = d.result == "succeeded"
                e.kind_ = d.isRollback ? "rollback" : "deploy"
                if d.isRollback { e.rollsBack = d.rollsBack; e.rolledBack = d.rolledBack }
                e.rolledBackBy = row.undoneBy
                if showHosts { e.server = row.place.description }
                reporter.emit(e)
            }
            return
        }
        guard !rows.isEmpty else {
            reporter.say("No deploys of \(target) yet.")
            return
        }
        rows.sort { ($0.deploy.start.at, $0.deploy.id) > ($1.deploy.start.at, $1.deploy.id) }
        let header = (showHosts ? ["host"] : []) + ["id", "when", "who", "revision", "migrations", "result", "duration"]
        let cells: [[String]] = rows.map { row in
            let d = row.deploy
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
            return (showHosts ? [row.place.description] : []) + [
                d.id, WallClock.text(d.start.at), who, revision, migrations,
                row.result + (row.undoneBy.map { " (rolled back by \($0))" } ?? ""), d.durationMs.map(seconds) ?? "-",
            ]
        }
        let widths = header.indices.map { i in max(header[i].count, cells.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.indices.map { $0 == cells.count - 1 ? cells[$0] : cells[$0].padding(widths[$0] + 1) }.joined()
        }
        reporter.say(line(header))
        for row in cells { reporter.say(line(row)) }
    }
}
