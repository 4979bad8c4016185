import DeployCore
import MigrationCore

extension DeployRenderer {
    func dataLoss(_ finding: DataLossFinding) {
        render(.dataLoss(file: finding.filename, table: finding.place, detail: finding.detail))
    }

    /// `rollback TARGET --dry-run`: the steps with their commands, and the reverse SQL of each migration.
    func rollbackPlan(_ plan: Plan, deploy: DeployRecord, check: RollbackCheck.Result) {
        let reverse = Dictionary(check.reverse.map { ($0.filename, $0) }, uniquingKeysWith: { a, _ in a })
        if reporter.json {
            var head = DeployJSON("rollback_plan"); head.target = plan.target; head.rollsBack = deploy.id
            head.revisionBefore = deploy.revisionAfter; head.revisionAfter = deploy.revisionBefore
            head.rolledBack = check.toRollBack.reversed(); head.steps = plan.steps.count; head.server = host
            reporter.emit(head)
            self.plan(plan)
            for r in check.reverse {
                var e = DeployJSON("reverse"); e.file = r.filename; e.source = r.source; e.reverse = r.steps; e.server = host
                reporter.emit(e)
            }
            check.findings.forEach(dataLoss)
            return
        }
        let moves = deploy.revisionBefore == deploy.revisionAfter ? "unchanged"
            : "\((deploy.revisionAfter ?? "?").prefix(8))→\((deploy.revisionBefore ?? "?").prefix(8))"
        say("Rollback plan for \(plan.app.map { "\($0) on " } ?? "")\(plan.target) (\(plan.path)): undoes deploy \(deploy.id) (code \(moves)), \(count(plan.steps.count, "step")); dry run, nothing runs:")
        for step in plan.steps {
            say("  \(step.number). \(step.name)")
            say("     $ " + plan.masker.mask(step.command.shellLine()))
            if case .rollbackMigrations(let files) = step.kind {
                for file in files {
                    guard let r = reverse[file] else { continue }
                    say("     \(file) (\(r.source)):")
                    for s in r.steps { say(s.split(separator: "\n").map { "       " + $0 }.joined(separator: "\n")) }
                }
            }
        }
        if !check.alreadyUndone.isEmpty { say("Already rolled back (skipped): \(check.alreadyUndone.joined(separator: ", ")).") }
        check.findings.forEach(dataLoss)
        say("Dry run: nothing was run or changed.")
    }
}
