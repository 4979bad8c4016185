import MigrationCore

/// Lint findings as lines, for `lint` and `migrate --dry-run`.
struct LintRenderer {
    let reporter: Reporter

    func finding(_ f: LintFinding) {
        if reporter.json {
            reporter.emit(Self.jsonEvent(f))
        } else {
            let out = reporter.out
            reporter.say(out.paint("\(f.location): \(f.severity): ", f.code.isError ? .red : .yellow) + "\(f.message) [\(f.code.rawValue)]")
        }
    }

    static func jsonEvent(_ f: LintFinding) -> JSONEvent {
        var e = JSONEvent("finding")
        e.file = f.location.file; e.line = f.location.line; e.column = f.location.column; e.section = f.location.section
        e.severity = f.severity; e.code = f.code.rawValue; e.message = f.message
        return e
    }

    func summary(findings: Int, errors: Int, pending: Int) {
        if reporter.json {
            var s = JSONEvent("summary")
            s.findings = findings; s.errors = errors; s.warnings = findings - errors; s.pending = pending; s.ok = errors == 0
            reporter.emit(s)
        } else if pending == 0 {
            reporter.say("No pending migrations to lint.")
        } else {
            reporter.say(findings == 0 ? "No findings in \(count(pending, "pending migration"))."
                : "\(count(findings, "finding")) (\(count(errors, "error"))) in \(count(pending, "pending migration")); the database was not changed.")
        }
    }
}
