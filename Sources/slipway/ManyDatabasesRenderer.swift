import MigrationCore
import Synchronization

/// `migrate` over many databases, as it goes: in `--json`, every event with its
/// `database` and one summary per database, then the total; on a terminal, one line
/// per finished database and a progress line (done / total, the slowest still
/// running); at the end a table: database, applied, pending, result, time. Events
/// come from several threads: one lock orders the lines.
final class ManyDatabasesRenderer: Sendable {
    let reporter: Reporter
    let total: Int
    private let state = Mutex<(done: Int, running: [String: ContinuousClock.Instant])>((0, [:]))

    init(reporter: Reporter, total: Int) {
        self.reporter = reporter
        self.total = total
    }

    func event(_ database: String, _ event: MigrationEvent) {
        guard reporter.json else { return }  // on a terminal, per-file lines of many databases would be noise
        state.withLock { _ in
            var e = MigrationRenderer(reporter: reporter).jsonEvent(event)
            e.database = database
            reporter.emit(e, batched: e.event == "skip")
        }
    }

    func started(_ database: String) {
        state.withLock { s in
            s.running[database] = .now
            showProgress(s)
        }
    }

    func finished(_ outcome: ParallelMigration.Outcome) {
        state.withLock { s in
            s.done += 1
            s.running[outcome.database] = nil
            if reporter.json {
                var e = MigrationRenderer.jsonSummary(outcome.summary)
                e.database = outcome.database
                e.message = outcome.error?.description
                reporter.emit(e)
                return
            }
            let out = reporter.out
            if let error = outcome.error {
                reporter.say(out.paint("✗ ", .red) + "\(outcome.database): " + (error.description.split(separator: "\n").first.map(String.init) ?? ""))
            } else {
                reporter.say(out.paint("✓ ", .green) + "\(outcome.database): \(outcome.summary.applied) applied (\(seconds(outcome.summary.durationMilliseconds)))")
            }
            showProgress(s)
        }
    }

    private func showProgress(_ s: (done: Int, running: [String: ContinuousClock.Instant])) {
        guard !reporter.json, let slowest = s.running.min(by: { $0.value < $1.value }) else { return }
        let ms = Int((ContinuousClock.now - slowest.value) / .milliseconds(1))
        reporter.progress("\(s.done)/\(total) databases done; slowest running: \(slowest.key) (\(seconds(ms)))")
    }

    /// The table (or the JSON total) once every database is done or left untouched.
    func summary(_ databases: [String], _ outcomes: [ParallelMigration.Outcome?], milliseconds: Int) {
        let finished = outcomes.compactMap { $0 }
        let failed = finished.filter { $0.error != nil }.count
        let applied = finished.reduce(0) { $0 + $1.summary.applied }
        if reporter.json {
            var e = JSONEvent("summary")
            e.databases = databases.count; e.failed = failed; e.applied = applied
            e.pending = finished.reduce(0) { $0 + $1.summary.pending }
            e.durationMs = milliseconds; e.ok = failed == 0 && finished.count == databases.count
            reporter.emit(e)
            return
        }
        var table = Table(header: ["DATABASE", "APPLIED", "PENDING", "RESULT", "TIME"])
        table.rows = zip(databases, outcomes).map { database, outcome in
            guard let outcome else { return [database, "-", "-", "not started", "-"] }
            let result = outcome.error.map { if case .interrupted = $0 { "interrupted" } else { "failed" } } ?? "ok"
            return [database, String(outcome.summary.applied), String(outcome.summary.pending), result,
                    seconds(outcome.summary.durationMilliseconds)]
        }
        table.lines().forEach { reporter.say($0) }
        let untouched = databases.count - finished.count
        reporter.say("\(failed > 0 || untouched > 0 ? "Failed" : "Done"): \(count(databases.count, "database")), "
            + "\(count(applied, "migration")) applied" + (failed > 0 ? ", \(failed) failed" : "")
            + (untouched > 0 ? ", \(untouched) not started" : "") + " in \(seconds(milliseconds)).")
    }
}
