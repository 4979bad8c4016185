/// Turns SQLite's progress callbacks into at most a few `.progress` events a
/// second, starting once a migration has run for a second.
final class ProgressReporter {
    let filename: String
    let emit: (MigrationEvent) -> Void
    let started = ContinuousClock.now
    var lastReport: ContinuousClock.Instant?
    var statement = 0

    init(filename: String, emit: @escaping (MigrationEvent) -> Void) {
        self.filename = filename
        self.emit = emit
    }

    /// Called from SQLite's progress handler; returns false (never interrupts).
    func tick() -> Bool {
        let now = ContinuousClock.now
        guard now - started >= .seconds(1) else { return false }
        if let lastReport, now - lastReport < .milliseconds(250) { return false }
        lastReport = now
        emit(.progress(filename: filename, statement: statement, elapsedMilliseconds: started.millisecondsElapsed))
        return false
    }
}
