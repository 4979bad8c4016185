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
}
