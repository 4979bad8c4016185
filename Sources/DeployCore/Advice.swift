/// What to tell the user when a deploy stops: whether the app is down and how to
/// start it, where the code is, what the database got, how to go back. The
/// one-line `ssh … && …` deploy this replaces left people guessing at all four.
struct Advice {
    let plan: Plan
    let outcome: DeployOutcome

    func lines() -> [String] {
        guard outcome.result != .succeeded, let failed = outcome.failedStep else { return [] }
        var lines: [String] = []
        let ran = outcome.steps.filter { $0.status != .notRun }
        let lastStop = ran.lastIndex { $0.step.stopsApp && $0.status != .failed }
        let lastStart = ran.lastIndex { $0.step.startsApp && $0.status == .ok }
        if let stop = lastStop, lastStart.map({ $0 < stop }) ?? true {
            let stopStep = ran[stop].step
            let start = plan.steps.first { $0.number > stopStep.number && $0.startsApp }
            lines.append("The app is STOPPED: step \(stopStep.number) '\(stopStep.name)' stopped it and nothing started it again.")
            if let start {
                lines.append("To start it as it is now: \(start.command.render()) (in \(plan.path)).")
            } else {
                lines.append("Start it the way you normally do; this plan has no start step after it.")
            }
        } else if plan.steps.contains(where: \.stopsApp) {
            lines.append("The app was not stopped: the failure came before any stop step.")
        }
        let recovery = outcome.steps.filter { s in plan.onFailure.contains { $0.number == s.step.number } }
        if !recovery.isEmpty {
            lines.append("on_failure ran: " + recovery.map { "\($0.step.name.dropFirst("on_failure: ".count)) (\($0.status.rawValue))" }.joined(separator: ", ") + ".")
        }
        if let undone = plan.rollsBack {
            lines += rollback(undone, failed: failed)
            return lines
        }
        if let before = outcome.revisionBefore, let after = outcome.revisionAfter, before != after {
            lines.append("The code moved from \(before.prefix(12)) to \(after.prefix(12)).")
        }
        if !outcome.migrations.isEmpty {
            lines.append("This deploy applied \(outcome.migrations.count) migration(s): \(outcome.migrations.joined(separator: ", ")).")
        }
        if failed.status == .interrupted {
            lines.append("The deploy was interrupted; run `slipway deploy \(plan.target)` again to finish it (applied migrations are skipped).")
        } else {
            lines.append("Fix what step \(failed.step.number) '\(failed.step.name)' reported and run `slipway deploy \(plan.target)` again (applied migrations are skipped),")
            lines.append("or go back with `slipway rollback \(plan.target)` (code and this deploy's migrations).")
        }
        return lines
    }

    /// Where a stopped rollback left the code and the database, and how to go on.
    private func rollback(_ undone: String, failed: StepOutcome) -> [String] {
        var lines: [String] = []
        let planned = plan.steps.compactMap { step -> [String]? in
            if case .rollbackMigrations(let files) = step.kind { return files }
            return nil
        }.first ?? []
        let reset = plan.steps.first { $0.kind.movesCode }
        let resetDone = outcome.steps.contains { $0.step.kind.movesCode && $0.status == .ok }
        if !planned.isEmpty {
            let left = planned.filter { !outcome.rolledBack.contains($0) }
            lines.append(outcome.rolledBack.isEmpty
                ? "The database is unchanged: no migration was rolled back (still applied: \(left.joined(separator: ", ")))."
                : "The database is partly rolled back: undone \(outcome.rolledBack.joined(separator: ", "))"
                    + (left.isEmpty ? "." : "; still applied: \(left.joined(separator: ", ")).")
                    + " Each migration is undone whole or not at all.")
        }
        if let reset, case .gitReset(let revision) = reset.kind {
            lines.append(resetDone
                ? "The code is back at \(revision.prefix(12))."
                : "The code was not reset: it is still at \((outcome.revisionAfter ?? outcome.revisionBefore ?? "?").prefix(12)) (the revision deploy \(undone) left).")
        }
        if failed.status == .interrupted {
            lines.append("The rollback was interrupted; run `slipway rollback \(plan.target) --to \(undone)` again to finish it (migrations already rolled back are skipped).")
        } else {
            lines.append("Fix what step \(failed.step.number) '\(failed.step.name)' reported and run `slipway rollback \(plan.target) --to \(undone)` again (migrations already rolled back are skipped),")
            lines.append("or go forward again with `slipway deploy \(plan.target)`.")
        }
        return lines
    }
}
