import MigrationCore

/// `rollback TARGET` on one host, decided before anything changes: which deploy
/// (`RollbackChoice`, from the host's journal), what its migrations' reverses do and
/// would lose (`RollbackCheck`, run on the host), the plan (`Planner.rollbackPlan`), and
/// the checks beside preflight's (the revision is there, the code is where the deploy
/// left it, data loss refused unless accepted).
public struct TargetRollback: Sendable {
    public var planner: Planner
    public var target: String
    /// `--to`: the deploy to undo; nil for the newest that changed something.
    public var deployID: String?
    public var acceptDataLoss: Bool

    public init(planner: Planner, target: String, deployID: String?, acceptDataLoss: Bool) {
        self.planner = planner
        self.target = target
        self.deployID = deployID
        self.acceptDataLoss = acceptDataLoss
    }

    public struct Prepared: Sendable {
        public var plan: Plan
        public var deploy: DeployRecord
        public var check: RollbackCheck.Result
        public var checks: [Preflight.Check]
    }

    /// From the host's journal `entries`; reads the host's database, changes nothing.
    public func prepare(entries: [JournalEntry], executor: any Executor) -> Result<Prepared, HostDeploy.Refusal> {
        let deploy: DeployRecord
        do {
            deploy = try RollbackChoice(deploys: Journal.deploys(entries)).choose(target: target, to: deployID)
        } catch {
            return .failure(.init("cannot roll back: \(error)"))
        }
        let forward: Plan
        do { forward = try planner.plan(target: target) } catch { return .failure(.init(error.description)) }
        let database = planner.spec.database
        let check = deploy.migrations.isEmpty ? RollbackCheck.Result()
            : RollbackCheck.onTarget(plan: forward, database: database, executor: executor, migrations: deploy.migrations)
        if let error = check.error {
            return .failure(.init("the migrations of deploy \(deploy.id) cannot be rolled back: \(error); nothing was run or changed"))
        }
        let plan: Plan
        do {
            plan = try planner.rollbackPlan(
                target: target, deploy: deploy.id,
                revision: deploy.revisionAfter == deploy.revisionBefore ? nil : deploy.revisionBefore,
                migrations: check.toRollBack,
                acceptDataLoss: acceptDataLoss && !check.findings.isEmpty)
        } catch {
            return .failure(.init(error.description))
        }
        let checks = revisionChecks(deploy, path: plan.path, executor: executor) + [databaseCheck(check)]
        return .success(Prepared(plan: plan, deploy: deploy, check: check, checks: checks))
    }

    /// The revision to go back to is in the repository, and the code is where the deploy
    /// left it (or already back, after a rollback that stopped later on).
    private func revisionChecks(_ deploy: DeployRecord, path: String, executor: any Executor) -> [Preflight.Check] {
        guard let before = deploy.revisionBefore, deploy.revisionAfter != before else {
            return [Preflight.Check(name: "revision", ok: true, detail: "deploy \(deploy.id) did not move the code: it stays as it is")]
        }
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

/// What `history` and a rollback's dry run read from a host without taking its lock.
public enum TargetState {
    public static func read(plan: Plan, executor: any Executor) -> Result<AgentReply, HostDeploy.Refusal> {
        let (result, lines) = executor.capture(plan.slipway(["agent", "state", "--folder", ".slipway"]))
        if result.succeeded, let reply = lines.last.flatMap({ AgentCoding.decode(AgentReply.self, $0) }) { return .success(reply) }
        return .failure(.init("cannot read the target's journal (\(result.description)): \(lines.suffix(3).joined(separator: " "))"))
    }
}
