import Synchronization
import Testing
@testable import DeployCore

#if canImport(Glibc)
import Glibc
#endif

@Suite("Fleet: hosts in parallel, N at a time; a failure stops new hosts")
struct FleetTests {
    static let places: [Place] = (1...4).map { .remote(HostAddress(user: nil, host: "10.0.0.\($0)", port: 22)) }

    @Test("with parallel 4, all four hosts are inside their work at once (a barrier that needs all four)")
    func parallel() {
        let arrived = Mutex(0)
        let all = Semaphore()
        let results = Fleet(places: Self.places, parallel: 4).run { _, _ in
            let count = arrived.withLock { n in n += 1; return n }
            if count == 4 { for _ in 0..<4 { all.signal() } }
            // Bounded: a fleet that ran hosts one by one would end here with false.
            return (all.wait(seconds: 30), true)
        }
        #expect(results.compactMap { $0 } == [true, true, true, true])
    }

    @Test("with parallel 2, never more than two hosts at once")
    func bounded() {
        let state = Mutex((now: 0, most: 0))
        _ = Fleet(places: Self.places, parallel: 2).run { _, _ in
            state.withLock { s in s.now += 1; s.most = max(s.most, s.now) }
            sched_yield()
            state.withLock { $0.now -= 1 }
            return (true, 0)
        }
        #expect(state.withLock { $0.most } <= 2)
    }

    @Test("one at a time, a failing host leaves the hosts after it untouched (nil), in order")
    func stops() {
        let results = Fleet(places: Self.places, parallel: 1).run { index, _ in (index != 1, index) }
        #expect(results == [0, 1, nil, nil])
    }
}

/// A counting semaphore with a bounded wait, for test barriers.
final class Semaphore: @unchecked Sendable {
    private var sem = sem_t()
    init() { sem_init(&sem, 0, 0) }
    deinit { sem_destroy(&sem) }
    func signal() { sem_post(&sem) }
    func wait(seconds: Int) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        deadline.tv_sec += seconds
        while sem_timedwait(&sem, &deadline) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }
}
