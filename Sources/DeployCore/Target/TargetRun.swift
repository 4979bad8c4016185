import Synchronization

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
    private let open = Mutex([any Executor]())

    public init(places: [Place], parallel: Int, opener: HostOpener, identity: Identity, id: String,
                forceUnlock: Bool, database: DatabaseSettings) {
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
            let executor: any Executor
            switch opener.open(place, events: emit) {
            case .success(let opened): executor = opened
            case .failure(let refusal): return (false, .refused(refusal.message))
            }
            // Closed here, on the host's own thread (libssh2), and out of cancel()'s reach first.
            open.withLock { $0.append(executor) }
            defer {
                open.withLock { list in list.removeAll { $0 === executor } }
                executor.disconnect()
            }
            let deploy = HostDeploy(place: place.description, executor: executor, identity: identity, id: id,
                                    forceUnlock: forceUnlock, database: database)
            let result = work(Host(place: place, executor: executor, deploy: deploy, events: emit))
            return (result.succeeded, result)
        }
    }

    /// Safe from a signal handler's queue: asks every open host's running step to stop.
    public func cancel() {
        open.withLock { $0.forEach { $0.cancel() } }
    }
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
