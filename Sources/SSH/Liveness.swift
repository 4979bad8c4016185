/// When to send a keepalive and when silence means the connection is gone, the way OpenSSH's
/// ServerAliveInterval / ServerAliveCountMax do it: a quiet command is fine as long as the server
/// answers the keepalives (sent with want_reply, so a live server always answers); no byte for
/// `interval * countMax` seconds while a keepalive waited at least `interval` for its answer is a
/// lost connection. A pure value, fed with the times `Connection` sees.
struct Liveness {
    /// Seconds; 0 turns keepalives and loss detection off.
    let interval: Double
    let countMax: Int
    private var lastReceive = ContinuousClock.now
    /// The first keepalive (or blocked send) since `lastReceive`: the question not answered yet.
    private var askedAt: ContinuousClock.Instant?

    init(interval: Double, countMax: Int) {
        self.interval = max(0, interval)
        self.countMax = max(1, countMax)
    }

    /// How often a wait wakes up to look: a quarter interval, between 50 ms and 1 s.
    var tick: Duration? { interval > 0 ? .seconds(min(max(interval / 4, 0.05), 1)) : nil }

    mutating func reset(lastReceive: ContinuousClock.Instant) {
        self.lastReceive = lastReceive
        askedAt = nil
    }

    /// The server's last byte arrived at `time`; a byte after the question answers it.
    mutating func received(at time: ContinuousClock.Instant) {
        guard time > lastReceive else { return }
        lastReceive = time
        if let askedAt, time > askedAt { self.askedAt = nil }
    }

    /// Silent for an interval: time to (re)send a keepalive. libssh2 spaces them by its own timer.
    func shouldAsk(now: ContinuousClock.Instant) -> Bool {
        interval > 0 && seconds(lastReceive, now) >= interval
    }

    mutating func asked(at time: ContinuousClock.Instant) {
        if askedAt == nil { askedAt = time }
    }

    /// The silence in seconds when it means the connection is lost, else nil.
    func lostAfter(now: ContinuousClock.Instant) -> Double? {
        guard interval > 0, let askedAt else { return nil }
        let silence = seconds(lastReceive, now)
        guard silence >= interval * Double(countMax), seconds(askedAt, now) >= interval else { return nil }
        return silence
    }

    private func seconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Double {
        let (s, atto) = from.duration(to: to).components
        return Double(s) + Double(atto) / 1e18
    }
}
