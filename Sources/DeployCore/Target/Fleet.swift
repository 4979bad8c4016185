import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs one piece of work per host, `parallel` at a time, each on a thread of its
/// own (a host's SSH session is driven from one thread). Once a host fails, no new
/// host starts: those keep their `nil` result, "untouched".
public struct Fleet: Sendable {
    public var places: [Place]
    public var parallel: Int

    public init(places: [Place], parallel: Int) {
        self.places = places
        self.parallel = max(1, parallel)
    }

    /// `work` returns whether the host succeeded, and its result. Results come back in `places` order.
    public func run<R: Sendable>(_ work: @escaping @Sendable (Int, Place) -> (ok: Bool, result: R)) -> [R?] {
        if places.count == 1 { return [work(0, places[0]).result] }
        let state = Mutex(FleetState<R>())
        let places = self.places
        let workers = (0..<min(parallel, places.count)).map { _ in
            Worker {
                while true {
                    let index: Int? = state.withLock { s in
                        guard !s.failed, s.next < places.count else { return nil }
                        defer { s.next += 1 }
                        return s.next
                    }
                    guard let index else { return }
                    let (ok, result) = work(index, places[index])
                    state.withLock { s in
                        s.results[index] = result
                        if !ok { s.failed = true }
                    }
                }
            }
        }
        workers.forEach { $0.join() }
        let results = state.withLock { $0.results }
        return places.indices.map { results[$0] }
    }
}

private struct FleetState<R> {
    var next = 0
    var failed = false
    var results: [Int: R] = [:]
}

/// A POSIX thread running `body`: a host's work blocks in poll() for minutes, which
/// Swift's cooperative pool must not be given.
final class Worker: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let worker = Unmanaged<Worker>.fromOpaque(raw!).takeRetainedValue()
            worker.body()
            return nil
        }, box)
    }

    func join() { pthread_join(thread, nil) }
}
