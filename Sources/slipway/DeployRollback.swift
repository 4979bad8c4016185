import ArgumentParser
import DeployCore
import MigrationCore

#if canImport(Glibc)
import Glibc
#endif

/// `slipway rollback TARGET [--to DEPLOY_ID]`: undo one deploy, code and database together.
///
/// Before anything changes: the target's path, the deploy lock (held to the end, like a
/// deploy's), which deploy (see `RollbackChoice`), preflight as for a deploy, and the
/// Rollbacker's dry run over that deploy's migrations; data loss refuses unless
/// `--accept-data-loss`. Then the plan of `Planner.rollbackPlan` runs through `Deployment`,
/// which journals it as a deploy of kind "rollback" naming the deploy it undid.
struct DeployRollback {
    var target: String
    var config: String
    var deployID: String?
    var dryRun: Bool
    var acceptDataLoss: Bool
    var json: Bool
    var forceUnlock: Bool

    func run() throws {
        let reporter = Reporter(json: json)
        let render = DeployRenderer(reporter: reporter)
        let spec: DeploySpec
        do { spec = try loadSpec(config) } catch { throw reporter.fail(.spec(error)) }
        let planner = Planner(spec: spec, slipway: currentExecutable())
        let forward: Plan
        do { forward = try planner.plan(target: target) } catch {
            reporter.report(error)
            throw Exit.invalidInput
        }
        guard spec.target(named: target)?.isLocal == true else {
            reporter.report(DeployFailure("target '\(target)' is remote: its journal and rollback run over SSH, which comes in a later version"))
            throw Exit.failure
        }
        let folder = forward.path + "/.slipway"
        if dryRun {
            // Reads the journal and the database; takes no lock and writes nothing.
            let (plan, check, deploy) = try prepare(planner, folder: folder, reporter: reporter, render: render)
            render.rollbackPlan(plan, deploy: deploy, check: check)
            if !check.findings.isEmpty && !acceptDataLoss {
                reporter.report(DeployFailure("the rollback would lose data (listed above): it would be refused without --accept-data-loss"))
                throw Exit.failure
            }
            return
        }

        let run = try LocalRun.begin(plan: forward, spec: spec, folder: folder, forceUnlock: forceUnlock, render: render, reporter: reporter)
        defer { run.end() }

        // Under the lock: no other deploy or rollback can change the journal, code or database meanwhile.
        let (plan, check, deploy) = try prepare(planner, folder: folder, reporter: reporter, render: render)
        let executor = run.executor
        let preflight = Preflight(plan: plan, executor: executor, database: spec.database)
        var checks = preflight.rest()
        checks.append(contentsOf: revisionChecks(deploy, path: plan.path, executor: executor))
        checks.append(databaseCheck(check))
        checks.forEach(render.preflight)
        for finding in check.findings { render.dataLoss(finding) }
        if checks.contains(where: { !$0.ok }) {
            reporter.report(DeployFailure("preflight failed; nothing was run or changed"))
            throw Exit.failure
        }
        let deployment = Deployment(plan: plan, executor: executor, journal: Journal(folder: folder), identity: run.identity)
        try runDeployment(deployment, id: run.id, render: render, reporter: reporter)
    }

    /// Which deploy, what its migrations would do, and the plan. Reads only.
    private func prepare(_ planner: Planner, folder: String, reporter: Reporter, render: DeployRenderer) throws
        -> (Plan, RollbackCheck.Result, DeployRecord)
    {
        let deploy: DeployRecord
        do {
            deploy = try RollbackChoice(deploys: Journal(folder: folder).deploys()).choose(target: target, to: deployID)
        } catch {
            reporter.report(DeployFailure("cannot roll back: \(error)"))
            throw Exit.failure
        }
        let check: RollbackCheck.Result
        do {
            check = try RollbackCheck(path: planner.planPath(target: target), database: planner.spec.database).run(migrations: deploy.migrations)
        } catch {
            render.preflight(Preflight.Check(name: "rollback", ok: false, detail: error.description))
            reporter.report(DeployFailure("the migrations of deploy \(deploy.id) cannot be rolled back; nothing was run or changed"))
            throw Exit.failure
        }
        do {
            let plan = try planner.rollbackPlan(
                target: target, deploy: deploy.id, revision: deploy.revisionBefore!, migrations: check.toRollBack,
                acceptDataLoss: acceptDataLoss && !check.findings.isEmpty)
            return (plan, check, deploy)
        } catch {
            reporter.report(error)
            throw Exit.invalidInput
        }
    }

    /// The revision to go back to is in the repository, and the code is where the deploy
    /// left it (or already back, after a rollback that stopped later on).
    private func revisionChecks(_ deploy: DeployRecord, path: String, executor: any Executor) -> [Preflight.Check] {
        let before = deploy.revisionBefore!
        let (exists, _) = executor.capture(Command(["git", "cat-file", "-e", before + "^{commit}"], workingDirectory: path))
        guard exists.succeeded else {
            return [Preflight.Check(name: "revision", ok: false, detail: "\(before.prefix(12)), the revision before deploy \(deploy.id), is not in the repository any more: fetch it, or put the code back by hand")]
        }
        let (head, lines) = executor.capture(Command(["git", "rev-parse", "--verify", "-q", "HEAD"], workingDirectory: path))
        let current = head.succeeded ? lines.first : nil
        if let after = deploy.revisionAfter, let current, current != after, current != before {
            return [Preflight.Check(name: "revision", ok: false, detail: "HEAD is \(current.prefix(12)), but deploy \(deploy.id) left \(after.prefix(12)): the code changed outside slipway; check it, and deploy or reset by hand")]
        }
        return [Preflight.Check(name: "revision", ok: true, detail: "deploy \(deploy.id): back from \((current ?? "?").prefix(12)) to \(before.prefix(12))")]
    }

    private func databaseCheck(_ check: RollbackCheck.Result) -> Preflight.Check {
        var detail = check.toRollBack.isEmpty ? "no migrations to roll back" : "can roll back \(check.toRollBack.reversed().joined(separator: ", "))"
        if !check.alreadyUndone.isEmpty { detail += "; already rolled back: \(check.alreadyUndone.joined(separator: ", "))" }
        guard check.findings.isEmpty else {
            if acceptDataLoss { return Preflight.Check(name: "data loss", ok: true, detail: "\(check.findings.count) finding(s), accepted (--accept-data-loss); " + detail) }
            return Preflight.Check(name: "data loss", ok: false, detail: "rolling back would lose data (\(check.findings.count) finding(s) below): nothing was changed; keep the data (deploy forward instead), or run again with --accept-data-loss")
        }
        return Preflight.Check(name: "rollback", ok: true, detail: detail)
    }
}

extension Planner {
    /// The target's folder, as plans see it.
    func planPath(target: String) -> String { (try? plan(target: target).path) ?? "." }
}

extension DeployRenderer {
    func dataLoss(_ finding: DataLossFinding) {
        if reporter.json {
            var e = DeployJSON("data_loss"); e.file = finding.filename; e.table = finding.table; e.message = finding.detail
            reporter.emit(e)
        } else {
            reporter.say(reporter.out.paint("DATA LOSS ", .red) + finding.description)
        }
    }

    /// `rollback TARGET --dry-run`: the steps with their commands, and the reverse SQL of each migration.
    func rollbackPlan(_ plan: Plan, deploy: DeployRecord, check: RollbackCheck.Result) {
        let reverse = Dictionary(check.reverse.map { ($0.filename, $0) }, uniquingKeysWith: { a, _ in a })
        if reporter.json {
            var head = DeployJSON("rollback_plan"); head.target = plan.target; head.rollsBack = deploy.id
            head.revisionBefore = deploy.revisionAfter; head.revisionAfter = deploy.revisionBefore
            head.rolledBack = check.toRollBack.reversed(); head.steps = plan.steps.count
            reporter.emit(head)
            self.plan(plan)
            for r in check.reverse {
                var e = DeployJSON("reverse"); e.file = r.filename; e.source = r.source; e.reverse = r.steps.map(\.description)
                reporter.emit(e)
            }
            check.findings.forEach(dataLoss)
            return
        }
        let moves = "\((deploy.revisionAfter ?? "?").prefix(8))→\(deploy.revisionBefore!.prefix(8))"
        reporter.say("Rollback plan for \(plan.app.map { "\($0) on " } ?? "")\(plan.target) (\(plan.path)): undoes deploy \(deploy.id) (code \(moves)), \(plan.steps.count) steps; dry run, nothing runs:")
        for step in plan.steps {
            reporter.say("  \(step.number). \(step.name)")
            reporter.say("     $ " + plan.masker.mask(step.command.shellLine()))
            if case .rollbackMigrations(let files) = step.kind {
                for file in files {
                    guard let r = reverse[file] else { continue }
                    reporter.say("     \(file) (\(r.source)):")
                    for s in r.steps { reporter.say(s.description.split(separator: "\n").map { "       " + $0 }.joined(separator: "\n")) }
                }
            }
        }
        if !check.alreadyUndone.isEmpty { reporter.say("Already rolled back (skipped): \(check.alreadyUndone.joined(separator: ", ")).") }
        check.findings.forEach(dataLoss)
        reporter.say("Dry run: nothing was run or changed.")
    }
}
