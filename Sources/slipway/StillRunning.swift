import DeployCore

/// Whether a deploy step that has printed nothing for a while should say it is alive, so a
/// quiet `npm ci` does not look like a hang. Fed every event and asked on a timer; the times
/// are passed in, so the decision is tested without waiting.
struct StillRunning {
    /// Silence before the first note, and between notes.
    var every: Duration = .seconds(10)
    private var step: (started: ContinuousClock.Instant, lastLine: ContinuousClock.Instant)?

    mutating func saw(_ event: DeployEvent, at now: ContinuousClock.Instant) {
        switch event {
        case .stepStarted: step = (now, now)
        case .output, .migration: step?.lastLine = now
        case .stepFinished, .finished: step = nil
        case .preflight, .dataLoss, .started: break
        }
    }

    /// `… still running (12s)` once a running step has been silent for `every`; then the
    /// silence counts again from this note.
    mutating func note(at now: ContinuousClock.Instant) -> String? {
        guard let s = step, now - s.lastLine >= every else { return nil }
        step?.lastLine = now
        return "… still running (\((now - s.started).components.seconds)s)"
    }
}
