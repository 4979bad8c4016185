/// A piece of work on every host of a target: each host opened (`HostOpener`: this
/// machine, or an SSH connection with slipway there), its work run, and the host closed
/// again on its own thread, the hosts in parallel `parallel` at a time (`Fleet`; a failure
/// stops new hosts). `cancel()` (Ctrl-C) stops the running steps of every open host.
public final class TargetRun: Sendable {
    public let places: [Place]
    public let parallel: Int
    public let opener: HostOpener
    public let identity: Identity
    /// The run's id: the deploy's, in every host's journal.
    public let id: String
    public let forceUnlock: Bool
    public let database: DatabaseSettings
    /// Make sure of slipway on each host first (commands run through the executor need it);
    /// a deploy installs it on demand, when the host's agent does not start.
    public let installFirst: Bool
    private let running = RunningExecutors()

    public init(places: [Place], parallel: Int, opener: HostOpener, identity: Identity, id: String,
                forceUnlock: Bool, database: DatabaseSettings, installFirst: Bool) {
        self.installFirst = installFirst
        self.places = places
        self.parallel = parallel
        self.opener = opener
        self.identity = identity
        self.id = id
        self.forceUnlock = forceUnlock
        self.database = database
    }

    /// One opened host, handed to the work.
    public struct Host {
        public let place: Place
        public let executor: any Executor
        /// Its deploy (lock, preflight, steps, journal), ready to run a plan.
        public let deploy: HostDeploy
        public let events: (DeployEvent) -> Void
    }

    /// Runs `work` on every host; `events(place)` is where a host's events go. Results in
    /// `places` order; nil for a host never started.
    public func run(events: @escaping @Sendable (Place) -> (DeployEvent) -> Void,
                    work: @escaping @Sendable (Host) -> HostDeploy.Result) -> [HostDeploy.Result?] {
        Fleet(places: places, parallel: parallel).run { [self] _, place in
            let emit = events(place)
            let opened: HostOpener.Opened
            switch opener.open(place, installNow: installFirst, events: emit) {
            case .success(let o): opened = o
            case .failure(let refusal): return (false, .refused(refusal.message))
            }
            let executor = opened.executor
            // Closed here, on the host's own thread (libssh2), and out of cancel()'s reach first.
            running.add(executor)
            defer {
                running.remove(executor)
                executor.disconnect()
            }
            var deploy = HostDeploy(place: place.description, executor: executor, identity: identity, id: id,
                                    forceUnlock: forceUnlock, database: database, running: running)
            deploy.install = opened.install
            let result = work(Host(place: place, executor: executor, deploy: deploy, events: emit))
            return (result.succeeded, result)
        }
    }

    /// Safe from a signal handler's queue: asks every open host's running step to stop.
    public func cancel() { running.cancelAll() }
}

extension HostDeploy.Result {
    /// Whether the fleet may go on to the next host.
    public var succeeded: Bool {
        switch self {
        case .ran(let outcome): outcome.result == .succeeded
        case .planned: true
        case .refused: false
        }
    }
}
