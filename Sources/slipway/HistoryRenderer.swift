import DeployCore

extension DeployRenderer {
    /// The terminal width the history table is made to fit.
    static let tableWidth = 80

    /// The deploys of a target's hosts as one table, newest first (a row per deploy and
    /// host), or one JSON object per deploy and host, in journal order. The table fits 80 columns by shortening
    /// the migrations (the last column); `history TARGET ID` and `--json` list them all.
    func history(_ rows: [HistoryRow], target: String, showHosts: Bool) {
        if reporter.json {
            rows.forEach { reporter.emit(deployJSON($0, showHosts: showHosts)) }
            return
        }
        guard !rows.isEmpty else {
            reporter.say("No deploys of \(target) yet.")
            return
        }
        let rows = rows.sorted { ($0.deploy.start.at, $0.deploy.id) > ($1.deploy.start.at, $1.deploy.id) }
        var table = Table(header: (showHosts ? ["HOST"] : []) + ["ID", "WHO", "REVISION", "RESULT", "TIME", "MIGRATIONS"])
        table.rows = rows.map { row in
            let d = row.deploy
            return (showHosts ? [row.place.description] : []) + [
                d.id, d.start.by?.user ?? "?", d.revisionAfter.map { String($0.prefix(8)) } ?? "-",
                row.result + (row.undoneBy == nil ? "" : ", undone"), d.durationMs.map(seconds) ?? "-", "",
            ]
        }
        let widths = table.widths
        let room = Self.tableWidth - widths.dropLast().reduce(0) { $0 + $1 + table.gap }
        for (i, row) in rows.enumerated() {
            let d = row.deploy
            table.rows[i][table.header.count - 1] = if d.isRollback {
                "undid \(d.rollsBack ?? "?")" + (d.rolledBack.isEmpty ? "" : " (\(count(d.rolledBack.count, "migration")))")
            } else {
                Self.migrationList(d.migrations, fitting: room)
            }
        }
        table.lines().forEach { reporter.say($0) }
    }

    /// `-`, `2 migrations: 004_a.sql, 005_b.sql`, `3 migrations: 004_a.sql … 006_c.sql`,
    /// one file's bare name, or `3 migrations` when not even the first and last name fit in `width`.
    static func migrationList(_ files: [String], fitting width: Int) -> String {
        guard let first = files.first, let last = files.last else { return "-" }
        let n = count(files.count, "migration")
        let candidates = ["\(n): " + files.joined(separator: ", "), files.count == 1 ? first : "\(n): \(first) … \(last)"]
        return candidates.first { $0.count <= width } ?? n
    }

    /// A deploy as `history --json` has it: every field, every migration.
    func deployJSON(_ row: HistoryRow, showHosts: Bool) -> DeployJSON {
        let d = row.deploy
        var e = DeployJSON("deploy")
        e.id = d.id; e.target = d.start.target; e.startedAt = WallClock.rfc3339(d.start.at)
        e.user = d.start.by?.user; e.host = d.start.by?.host
        e.revisionBefore = d.revisionBefore; e.revisionAfter = d.revisionAfter
        e.migrations = d.migrations; e.result = row.result; e.durationMs = d.durationMs
        e.steps = d.steps.count; e.message = d.finish?.message; e.ok = d.result == "succeeded"
        e.kind_ = d.isRollback ? "rollback" : "deploy"
        if d.isRollback { e.rollsBack = d.rollsBack; e.rolledBack = d.rolledBack }
        e.rolledBackBy = row.undoneBy
        if showHosts { e.server = row.place.description }
        return e
    }
}
