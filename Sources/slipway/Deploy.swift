import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run deploy.yml's pipeline on TARGET: preflight, lock, steps, journal.")

    @Argument(help: "The target in deploy.yml, e.g. local.")
    var target: String

    @Option(help: "The deploy spec. Default: ./deploy.yml.")
    var config: String = "deploy.yml"

    @Flag(name: .customLong("dry-run"), help: "Print the plan; run nothing, create nothing.")
    var dryRun = false

    @Flag(help: "Print one JSON object per event.")
    var json = false

    @Flag(name: .customLong("force-unlock"), help: "Remove a stale lock left by a deploy that died. A live deploy's lock is never removed.")
    var forceUnlock = false

    func run() throws {
        let reporter = Reporter(json: json)
        let render = DeployRenderer(reporter: reporter)
        let spec: DeploySpec
        do { spec = try loadSpec(config) } catch { throw reporter.fail(.spec(error)) }
        let plan: Plan
        do {
            plan = try Planner(spec: spec, slipway: currentExecutable()).plan(target: target)
        } catch {
            reporter.report(error)
            throw Exit.invalidInput
        }
        if dryRun {
            render.plan(plan)
            return
        }
        guard spec.target(named: target)?.isLocal == true else {
            reporter.report(DeployFailure("target '\(target)' is remote: remote deploys come with the SSH executor (not in this version); `--dry-run` shows its plan"))
            throw Exit.failure
        }
        let folder = plan.path + "/.slipway"
        let run = try LocalRun.begin(plan: plan, spec: spec, folder: folder, forceUnlock: forceUnlock, render: render, reporter: reporter)
        defer { run.end() }
        let preflight = Preflight(plan: plan, executor: run.executor, database: spec.database)
        let checks = preflight.rest()
        checks.forEach(render.preflight)
        if checks.contains(where: { !$0.ok }) {
            reporter.report(DeployFailure("preflight failed; nothing was run or changed"))
            throw Exit.failure
        }
        let deployment = Deployment(plan: plan, executor: run.executor, journal: Journal(folder: folder), identity: run.identity)
        try runDeployment(deployment, id: run.id, render: render, reporter: reporter)
    }
}

/// Runs a deployment (a deploy or a rollback) and maps its result to the exit
/// status: 0, 1 for a failed step, 130 when interrupted.
func runDeployment(_ deployment: Deployment, id: String, render: DeployRenderer, reporter: Reporter) throws {
    let outcome: DeployOutcome
    do {
        outcome = try deployment.run(id: id, events: render.render)
    } catch {
        reporter.report(error)
        throw Exit.failure
    }
    switch outcome.result {
    case .succeeded: return
    case .failed: throw Exit.failure
    case .interrupted: throw ExitCode(130)
    }
}

struct DeployFailure: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
