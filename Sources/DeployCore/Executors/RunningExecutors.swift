import Synchronization

/// The executors a run has going right now, on any host: Ctrl-C (`cancelAll`, safe from a
/// signal handler's queue) asks each of them to stop what it runs.
public final class RunningExecutors: Sendable {
    private let list = Mutex([any Executor]())

    public init() {}

    public func add(_ executor: any Executor) { list.withLock { $0.append(executor) } }

    public func remove(_ executor: any Executor) { list.withLock { l in l.removeAll { $0 === executor } } }

    public func cancelAll() { list.withLock { $0.forEach { $0.cancel() } } }
}
