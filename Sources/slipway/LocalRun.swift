import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

/// What `deploy` and `rollback TARGET` set up before their first step, in this
/// order: an executor whose running step Ctrl-C/SIGTERM/SIGHUP stop (the lock is
/// then released and the journal says "interrupted"), the target path check, who
/// runs it and the run's id, and the target's lock. `end()` releases both.
struct LocalRun {
    let executor: LocalExecutor
    let identity: Identity
    let id: String
    private let signals: SignalTrap
    private let lock: DeployLock

    static func begin(plan: Plan, spec: DeploySpec, folder: String, forceUnlock: Bool,
                      render: DeployRenderer, reporter: Reporter) throws -> LocalRun {
        let executor = LocalExecutor()
        let signals = SignalTrap([SIGINT, SIGTERM, SIGHUP]) { executor.cancel() }
        let path = Preflight(plan: plan, executor: executor, database: spec.database).path()
        render.preflight(path)
        guard path.ok else {
            signals.restore()
            throw Exit.failure
        }
        let identity = Identity.current(command: plan.masker.mask((["slipway"] + CommandLine.arguments.dropFirst()).joined(separator: " ")))
        let id = WallClock.deployID(WallClock.milliseconds())
        do {
            let lock = try DeployLock.acquire(
                folder: folder, holder: .init(identity: identity, deploy: id, since: WallClock.milliseconds()), force: forceUnlock)
            return LocalRun(executor: executor, identity: identity, id: id, signals: signals, lock: lock)
        } catch {
            signals.restore()
            reporter.report(error)
            throw Exit.failure
        }
    }

    func end() {
        lock.release()
        signals.restore()
    }
}
