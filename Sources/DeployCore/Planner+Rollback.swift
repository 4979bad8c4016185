import MigrationCore

/// The plan of `rollback TARGET`: undo one deploy, code and database together.
extension Planner {
    /// The target's pipeline turned around for `deploy`:
    ///
    /// 1. the steps before its first `git`/`migrate` step that stop the app (`pm2`/`supervisor`
    ///    stop, and `run` steps: the example stops its app with one), in plan order;
    /// 2. `slipway rollback --migration …` for the migrations that deploy applied, newest first
    ///    (after a `backup` step when `database.backup` is set);
    /// 3. `git reset --hard REVISION_BEFORE` on the current branch (so a later `git pull`
    ///    fast-forwards again), unless the deploy did not move the code (`revision` nil);
    /// 4. the steps after the pipeline's last `git`/`migrate` step that build or start
    ///    (`run`, and `pm2`/`supervisor` start, restart, reload).
    ///
    /// The database goes back before the code, as `rails db:rollback` before reverting a
    /// release: a migration's `-- migrate:down` section lives in the files of the deploy
    /// being undone, which the reset takes away; and the step that can still refuse
    /// (rows written since the check) runs while the code is as it was.
    ///
    /// `migrations` is what to undo (the deploy's, minus any already rolled back), oldest first
    /// as journaled; the step lists them newest first.
    /// `acceptDataLoss` passes `--accept-data-loss` to the migration step (the caller checked and the user agreed).
    public func rollbackPlan(
        target name: String, deploy id: String, revision: String?, migrations: [String], acceptDataLoss: Bool = false
    ) throws(PlanError) -> Plan {
        let forward = try plan(target: name)
        let firstChange = forward.steps.firstIndex { $0.kind.movesCode || $0.kind == .migrate } ?? forward.steps.count
        let stops = forward.steps[..<firstChange].filter {
            if case .run = $0.kind { return true }
            return $0.stopsApp
        }
        let lastChange = forward.steps.lastIndex { $0.kind.movesCode || $0.kind == .migrate }
        let after = forward.steps[(lastChange.map { $0 + 1 } ?? forward.steps.count)...].filter {
            if case .run = $0.kind { return true }
            return $0.startsApp
        }
        var steps: [PlannedStep] = []
        func add(_ step: PlannedStep) {
            var step = step
            step.number = steps.count + 1
            steps.append(step)
        }
        stops.forEach(add)
        if !migrations.isEmpty {
            if spec.database.backup {
                // `database.backup: true` keeps a copy before a rollback too, as before a migrate.
                var backup = try command(for: .backup, number: steps.count + 1)
                backup.workingDirectory = forward.path
                add(PlannedStep(number: 0, name: StepKind.backup.summary, kind: .backup, command: backup))
            }
            let kind = StepKind.rollbackMigrations(migrations.reversed())
            var command = try command(for: kind, number: steps.count + 1)
            command.workingDirectory = forward.path
            if acceptDataLoss { command.words.append(.text("--accept-data-loss")) }
            // A database per tenant: each undoes those of the deploy's migrations it has.
            if DatabaseSelection.isPattern(spec.database.path ?? "") { command.words.append(.text("--if-applied")) }
            add(PlannedStep(number: 0, name: kind.summary, kind: kind, command: command))
        }
        if let revision {
            let reset = StepKind.gitReset(revision: revision)
            var command = try command(for: reset, number: steps.count + 1)
            command.workingDirectory = forward.path
            add(PlannedStep(number: 0, name: reset.summary, kind: reset, command: command))
        }
        after.forEach(add)
        return Plan(app: forward.app, target: name, path: forward.path, steps: steps, masker: forward.masker, rollsBack: id,
                    slipway: slipway)
    }
}
