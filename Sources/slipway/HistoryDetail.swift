import DeployCore

extension DeployRenderer {
    /// `history TARGET ID`: one deploy in full, from each host's journal that has it — who ran
    /// what, both revisions, every migration and every step — which the table shortens.
    /// `--json`: the deploy as in `history --json`, then a `step_finished` object per step.
    func deployDetail(_ rows: [HistoryRow], showHosts: Bool) {
        for row in rows {
            reporter.json ? detailJSON(row, showHosts: showHosts) : detail(row, showHosts: showHosts)
        }
    }

    private func detailJSON(_ row: HistoryRow, showHosts: Bool) {
        reporter.emit(deployJSON(row, showHosts: showHosts))
        for step in row.deploy.steps {
            var e = DeployJSON("step_finished"); e.id = row.deploy.id; e.step = step.step; e.name = step.name
            e.kind = step.kind; e.status = step.status; e.exitCode = step.exitCode; e.durationMs = step.durationMs
            e.attempt = step.attempts; e.migrations = step.migrations; e.rolledBack = step.rolledBack
            e.revisionBefore = step.revisionBefore; e.revisionAfter = step.revisionAfter
            if showHosts { e.server = row.place.description }
            reporter.emit(e)
        }
    }

    private func detail(_ row: HistoryRow, showHosts: Bool) {
        let d = row.deploy
        var facts: [(String, String)] = []
        if d.isRollback { facts.append(("undoes", "deploy \(d.rollsBack ?? "?")")) }
        facts.append(("started", WallClock.text(d.start.at)))
        if let by = d.start.by { facts.append(("by", "\(by.user)@\(by.host), pid \(by.pid): \(by.command)")) }
        let before = d.revisionBefore.map { String($0.prefix(8)) }, after = d.revisionAfter.map { String($0.prefix(8)) }
        facts.append(("revision", before == after ? (after.map { "\($0) (unchanged)" } ?? "-") : "\(before ?? "-") → \(after ?? "-")"))
        facts.append(("result", row.result + (d.durationMs.map { " in \(seconds($0))" } ?? "")
            + (row.undoneBy.map { ", rolled back by \($0)" } ?? "")))
        if let message = d.finish?.message { facts.append(("message", message)) }
        let files = d.isRollback ? d.rolledBack : d.migrations
        let label = d.isRollback ? "rolled back" : "migrations"
        if files.isEmpty { facts.append((label, "none")) }
        for (i, file) in files.enumerated() { facts.append((i == 0 ? label : "", file)) }

        say("\(d.isRollback ? "Rollback" : "Deploy") \(d.id) of \(d.start.target ?? "?")" + (showHosts ? " on \(row.place)" : ""))
        var table = Table(header: ["", ""], indent: "  ")
        table.rows = facts.map { [$0.0, $0.1] }
        table.lines().dropFirst().forEach(say)  // label and value columns, no header
        guard !d.steps.isEmpty else { return }
        say("")
        var steps = Table(header: ["#", "STEP", "STATUS", "TIME"], indent: "  ")
        steps.rows = d.steps.map { s in
            ["\(s.step.map(String.init) ?? "?")", (s.name ?? "?") + (s.onFailure == true ? " (on_failure)" : ""),
             s.status ?? "?", s.durationMs.map(seconds) ?? "-"]
        }
        steps.lines().forEach(say)
    }
}
