import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs `count` pieces of work, `parallel` at a time, each on a thread of its own
/// (the work blocks: in poll() on an SSH session, in SQLite on a database file, for
/// minutes, which Swift's cooperative pool must not be given). Once a piece fails
/// and `stopOnFailure` is set, or `canStart` says no, nothing new starts: those
/// keep their `nil` result, "untouched". Used by the fleet of deploy hosts and by
/// `migrate` over many databases.
public struct WorkPool: Sendable {
    public var count: Int
    public var parallel: Int
    public var stopOnFailure: Bool

    public init(count: Int, parallel: Int, stopOnFailure: Bool = true) {
        self.count = count
        self.parallel = max(1, parallel)
        self.stopOnFailure = stopOnFailure
    }

    /// `work` returns whether the piece succeeded, and its result. Results come back in index order.
    public func run<R: Sendable>(
        canStart: @escaping @Sendable () -> Bool = { true },
        _ work: @escaping @Sendable (Int) -> (ok: Bool, result: R)
    ) -> [R?] {
        if count == 1 { return canStart() ? [work(0).result] : [nil] }
        let state = Mutex(PoolState<R>())
        let (count, stopOnFailure) = (self.count, self.stopOnFailure)
        let workers = (0..<min(parallel, count)).map { _ in
            Worker {
                while true {
                    let index: Int? = state.withLock { s in
                        guard !s.stopped, s.next < count, canStart() else { return nil }
                        defer { s.next += 1 }
                        return s.next
                    }
                    guard let index else { return }
                    let (ok, result) = work(index)
                    state.withLock { s in
                        s.results[index] = result
                        if !ok && stopOnFailure { s.stopped = true }
                    }
                }
            }
        }
        workers.forEach { $0.join() }
        let results = state.withLock { $0.results }
        return (0..<count).map { results[$0] }
    }
}

private struct PoolState<R> {
    var next = 0
    var stopped = false
    var results: [Int: R] = [:]
}

/// A POSIX thread running `body`, for work that blocks.
public final class Worker: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: @Sendable () -> Void

    public init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let worker = Unmanaged<Worker>.fromOpaque(raw!).takeRetainedValue()
            worker.body()
            return nil
        }, box)
    }

    public func join() { pthread_join(thread, nil) }
}
