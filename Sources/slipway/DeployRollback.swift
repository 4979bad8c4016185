import ArgumentParser
import DeployCore
import MigrationCore

/// `slipway rollback TARGET [--to DEPLOY_ID]`: undo one deploy, code and database together,
/// on every host of the target. What is undone and whether it can be is decided on each host
/// under its lock (`TargetRollback`); the plan then runs through `HostDeploy` like a deploy,
/// journaled as a deploy of kind "rollback" naming the deploy it undid.
struct DeployRollback {
    var target: String
    var options: DeployOptions
    var deployID: String?
    var dryRun: Bool
    var acceptDataLoss: Bool

    func run() throws {
        let session = try TargetSession(target: target, options: options)
        let rollback = TargetRollback(planner: session.planner, target: target, deployID: deployID, acceptDataLoss: acceptDataLoss)
        let (dryRun, acceptDataLoss) = (dryRun, acceptDataLoss)
        try session.each { host in
            if dryRun {
                // Reads the journal and the database; takes no lock and writes nothing.
                let prepared = TargetState.read(plan: session.plan, executor: host.executor)
                    .flatMap { rollback.prepare(entries: $0.entries ?? [], executor: host.executor) }
                switch prepared {
                case .failure(let refusal): return .refused(refusal.message)
                case .success(let p):
                    // The same preflight as the real run (minus the lock), so a dry run that passes means the run would start.
                    let checks = Preflight.onTarget(plan: p.plan, database: session.spec.database, executor: host.executor) + p.checks
                    checks.forEach { host.events($0.event) }
                    host.show { $0.rollbackPlan(p.plan, deploy: p.deploy, check: p.check) }
                    if !p.check.findings.isEmpty && !acceptDataLoss {
                        return .refused("the rollback would lose data (listed above): it would be refused without --accept-data-loss")
                    }
                    if !checks.allSatisfy(\.ok) { return .refused("preflight would fail (above): the rollback would not start") }
                    return .planned
                }
            }
            return host.deploy.run(plan: session.plan, prepare: { lock in
                let entries: [JournalEntry]
                do { entries = try lock.entries() } catch { return .failure(.init("cannot read the journal: \(error)")) }
                return rollback.prepare(entries: entries, executor: host.executor).map { p in
                    for f in p.check.findings { host.events(.dataLoss(file: f.filename, table: f.place, detail: f.detail)) }
                    return (p.plan, p.checks)
                }
            }, events: host.events)
        }
    }
}
