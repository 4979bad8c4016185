import SQLiteKit

/// What running a file's statements produced.
struct StatementsOutcome {
    var statements = 0
    var tolerated = 0
    var writes = TableWrites()
}

/// Collects the authorizer's reports for the statement being prepared.
final class AccessLog {
    var events: [AuthorizerEvent] = []
}

extension Migrator {
    /// Prepares and runs the up section one statement at a time (SQLite splits it).
    /// `lint` sees each statement before and after it runs (on its copy of the database).
    func runStatements(
        of file: ParsedMigration, on db: Connection, transactional: Bool, recorder: ApplyRecorder? = nil, lint: LintWatch? = nil
    ) throws(MigrationError) -> StatementsOutcome {
        let section = file.source.up
        let script = SQLScript(section.sql)
        let log = AccessLog()
        db.setAuthorizer { log.events.append($0) }
        defer { db.setAuthorizer(nil) }
        let progress = ProgressReporter(filename: file.filename, emit: emit)
        let reportProgress = options.reportProgress
        let cancellation = self.cancellation
        // Stops the statement once the run is cancelled, even when Ctrl-C came while no statement
        // ran (SQLite drops an interrupt then), and one whose recording outgrew its limit (see ApplyRecorder).
        db.setProgressHandler(every: 100_000) {
            cancellation.isCancelled || (reportProgress && progress.tick()) || recorder?.checkLimit() == true
        }
        defer { db.setProgressHandler(every: 0, nil) }

        var outcome = StatementsOutcome()
        var index = 0
        while true {
            if cancellation.isCancelled { throw .interrupted(file: file.filename) }
            log.events.removeAll(keepingCapacity: true)
            let next: ScriptStatement?
            do {
                next = try script.next(on: db)
            } catch {
                index += 1
                let range = script.skipStatement()
                try tolerateOrFail(error, file, script, range, index, &outcome)
                continue
            }
            guard let next else { break }
            index += 1
            progress.statement = index
            if try skipTransactionControl(log.events, file, script, next.range, index, transactional) { continue }
            if let recorder {
                let events = log.events
                let proceed = try sql("recording \(file.filename) for rollback") {
                    try recorder.willRun(events, sql: next.statement.sql)
                }
                if !proceed { throw .rerun }
            }
            let linted = lint.map { _ in
                LintStatement(events: log.events, sql: next.statement.sql, location: failure(file, script, next.range, nil, index, "", hint: nil).location)
            }
            if let lint, let linted { try sql("linting \(file.filename)") { try lint.willRun(linted) } }
            do {
                defer { recorder?.didRun(log.events, sql: next.statement.sql) }
                try next.statement.run()
            } catch {
                if recorder?.restart != nil { throw .rerun }
                try tolerateOrFail(error, file, script, next.range, index, &outcome)
                continue
            }
            if let lint, let linted { try sql("linting \(file.filename)") { try lint.didRun(linted) } }
            if recorder?.checkLimit() == true { throw .rerun }
            var replaces: Bool?
            outcome.writes.add(log.events, ignoring: table.name) {
                if replaces == nil { replaces = SQLWords.mentions(next.statement.sql, "replace") }
                return replaces!
            }
        }
        // Ctrl-C during the last statement, too short for the progress handler to see it: the
        // migration is still rolled back, not committed.
        if cancellation.isCancelled { throw .interrupted(file: file.filename) }
        outcome.statements = index
        return outcome
    }

    /// BEGIN/COMMIT written in the file would end slipway's own transaction: they
    /// are skipped with a warning. ROLLBACK would silently undo the migration so far: refused.
    private func skipTransactionControl(
        _ events: [AuthorizerEvent], _ file: ParsedMigration, _ script: SQLScript, _ range: Range<Int>,
        _ index: Int, _ transactional: Bool
    ) throws(MigrationError) -> Bool {
        for event in events {
            switch event.action {
            case .transaction(let operation) where transactional:
                if operation == "ROLLBACK" {
                    throw .statementFailed(failure(
                        file, script, range, nil, index, "ROLLBACK inside a migration would undo it without failing",
                        hint: "remove it: slipway already rolls the whole migration back when a statement fails"))
                }
                emit(.warning(filename: file.filename,
                              message: "statement \(index): \(operation) ignored: slipway runs each migration in one transaction"))
                return true
            case .pragma(let name, let argument) where transactional && argument != nil && name.lowercased() == "foreign_keys":
                emit(.warning(filename: file.filename,
                              message: "statement \(index): PRAGMA foreign_keys has no effect inside a transaction; "
                                  + "slipway runs migrations with foreign keys unenforced and checks them afterwards"))
            default:
                break
            }
        }
        return false
    }

    /// The seed runner's rule: "already exists" and "duplicate column name" are
    /// tolerated (unless --strict); anything else fails the migration.
    private func tolerateOrFail(
        _ error: any Error, _ file: ParsedMigration, _ script: SQLScript, _ range: Range<Int>, _ index: Int,
        _ outcome: inout StatementsOutcome
    ) throws(MigrationError) {
        guard let error = error as? SQLiteError else {
            throw .sqlite(SQLiteError(code: 1, message: "\(error)"), while: "applying \(file.filename)")
        }
        if error.isBusy { throw opener.classify(error, while: "applying \(file.filename)") }
        if error.isInterrupt || cancellation.isCancelled { throw .interrupted(file: file.filename) }
        let tolerable = error.message.contains("already exists") || error.message.contains("duplicate column name")
        if tolerable && !options.strict {
            outcome.tolerated += 1
            let line = script.lineAndColumn(of: script.firstToken(from: range.lowerBound)).line + file.source.up.firstLine - 1
            emit(.tolerated(filename: file.filename, statement: index, line: line, message: error.message))
            return
        }
        throw .statementFailed(failure(file, script, range, error.offset, index, error.message, hint: Self.hint(for: error.message)))
    }

    func failure(
        _ file: ParsedMigration, _ script: SQLScript, _ range: Range<Int>, _ errorOffset: Int?, _ index: Int,
        _ message: String, hint: String?
    ) -> StatementFailure {
        let start = script.firstToken(from: range.lowerBound)
        let at = script.lineAndColumn(of: errorOffset.map { max($0, start) } ?? start)
        let location = SourceLocation(file: file.path, line: at.line + file.source.up.firstLine - 1, column: at.column)
        var statement = script.text(start..<max(range.upperBound, start))
        while statement.last?.isWhitespace == true { statement.removeLast() }
        return StatementFailure(location: location, statementIndex: index, statement: statement, sqliteMessage: message, hint: hint)
    }

    static func hint(for message: String) -> String? {
        let outsideOnly = ["cannot VACUUM from within a transaction", "cannot change into wal mode from within a transaction",
                           "cannot change out of wal mode from within a transaction", "Safety level may not be changed inside a transaction"]
        if outsideOnly.contains(where: message.contains) {
            return "this statement cannot run inside a transaction: start the file with '-- migrate:up transaction:false'"
        }
        if message.hasPrefix("no such column") || message.hasPrefix("no such table") {
            return "an earlier migration may not create it; check the order of the files and `slipway status`"
        }
        return nil
    }
}
