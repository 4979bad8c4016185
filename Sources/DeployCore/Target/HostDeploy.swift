/// One host's run of a deploy or a rollback, in the order that loses nothing:
/// the target's path, its lock (slipway's agent on the target, which also writes the
/// journal), the plan (a rollback reads the journal under the lock to make it),
/// preflight, then the steps. Everything goes through the host's executor, so this
/// machine is simply one more host.
public struct HostDeploy {
    /// `local`, or the host as `user@host:port`.
    public var place: String
    public var executor: any Executor
    public var identity: Identity
    public var id: String
    public var forceUnlock: Bool
    public var database: DatabaseSettings
    /// Where the steps' executor is registered while they run, for Ctrl-C.
    public var running: RunningExecutors?
    /// Puts slipway on the host when its agent is not there yet (`RemoteHost.install`).
    public var install: (@Sendable () -> Preflight.Check)?

    public init(place: String, executor: any Executor, identity: Identity, id: String, forceUnlock: Bool,
                database: DatabaseSettings, running: RunningExecutors? = nil) {
        self.running = running
        self.place = place
        self.executor = executor
        self.identity = identity
        self.id = id
        self.forceUnlock = forceUnlock
        self.database = database
    }

    public enum Result: Sendable, Equatable {
        /// Stopped before its first step: nothing on the host was changed. The reason, said already as events.
        case refused(String)
        case ran(DeployOutcome)
        /// A dry run: planned and checked; nothing ran.
        case planned
    }

    /// What to run, decided under the lock: the plan, and checks of its own beside preflight's.
    public typealias Prepare = (TargetLock) -> Swift.Result<(Plan, [Preflight.Check]), Refusal>

    public struct Refusal: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// `plan` is the target's pipeline: its path is checked and locked; `prepare` (by default,
    /// `plan` as it is) gives what runs.
    public func run(plan: Plan, prepare: Prepare? = nil, events: (DeployEvent) -> Void) -> Result {
        let holder = DeployLock.Holder(identity: identity, deploy: id, since: WallClock.milliseconds())
        func acquire() throws(TargetLock.LockFailure) -> TargetLock {
            try TargetLock.acquire(plan: plan, executor: executor, holder: holder, force: forceUnlock, place: place)
        }
        var first = Swift.Result<TargetLock, TargetLock.LockFailure> { () throws(TargetLock.LockFailure) in try acquire() }
        if case .failure(.missing) = first, let install {
            // First deploy to this host (or of this build): upload slipway, then start its agent again.
            let installed = install()
            events(installed.event)
            guard installed.ok else { return .refused(installed.detail) }
            first = Swift.Result { () throws(TargetLock.LockFailure) in try acquire() }
        }
        let lock: TargetLock
        switch first {
        case .success(let l): lock = l
        case .failure(let error):
            if case .refused(.path, let detail) = error {
                events(.preflight(check: "path", ok: false, detail: detail))
                return .refused("the target's path is not there")
            }
            events(.preflight(check: "lock", ok: false, detail: error.description))
            return .refused(error.description)
        }
        events(.preflight(check: "path", ok: true, detail: plan.path))
        var journalComplete = true
        // A journal left unfinished is not released: the agent ends it as interrupted and leaves a stale lock.
        defer { journalComplete ? lock.release() : lock.abandon() }
        var chosen = (plan, [Preflight.Check]())
        if let prepare {
            switch prepare(lock) {
            case .success(let prepared): chosen = prepared
            case .failure(let refusal): return .refused(refusal.message)
            }
        }
        let checks = lock.preflight(Preflight.Needs(plan: chosen.0, database: database)) + chosen.1
        checks.forEach { events($0.event) }
        guard checks.allSatisfy(\.ok) else { return .refused("preflight failed; nothing was run or changed") }
        // The steps run through the agent: one session for the whole deploy.
        let steps = AgentExecutor(lock: lock)
        running?.add(steps)
        defer { running?.remove(steps) }
        let deployment = Deployment(plan: chosen.0, executor: steps, journal: lock, identity: identity)
        do {
            let outcome = try deployment.run(id: id, events: events)
            journalComplete = outcome.journalError == nil
            return .ran(outcome)
        } catch {
            return .refused(error.description)
        }
    }
}

extension Preflight.Check {
    public var event: DeployEvent { .preflight(check: name, ok: ok, detail: detail) }
}
