import MigrationCore

/// Renders what the core reports: human lines (stdout, progress and colour on a
/// terminal only) or one JSON object per line.
final class Reporter {
    let json: Bool
    let out = Terminal.standardOutput
    let err = Terminal.standardError
    private var progressShown = false

    init(json: Bool) { self.json = json }

    func emit(_ event: JSONEvent) {
        out.write(event.rendered + "\n")
    }

    /// A human line on stdout, clearing a progress line first.
    func say(_ text: String) {
        clearProgress()
        out.write(text + "\n")
    }

    func progress(_ text: String) {
        guard out.isTTY else { return }
        out.write("\r\u{1B}[K" + text)
        out.flush()
        progressShown = true
    }

    func clearProgress() {
        if progressShown {
            out.write("\r\u{1B}[K")
            progressShown = false
        }
    }

    /// A failure: a JSON `failed` event, or `slipway: error: …` on stderr.
    func report(_ error: any Error, location: SourceLocation? = nil, statement: StatementFailure? = nil) {
        clearProgress()
        if json {
            var event = JSONEvent("failed")
            event.message = "\(error)"
            if let statement {
                event.file = statement.location.file
                event.line = statement.location.line
                event.column = statement.location.column
                event.statement = statement.statementIndex
                event.sql = statement.statement
                event.message = statement.sqliteMessage
                event.hint = statement.hint
            } else if let location {
                event.file = location.file
                event.line = location.line
                event.column = location.column
            }
            emit(event)
        } else {
            out.flush()
            err.write(err.paint("slipway: error: ", .red) + "\(error)" + "\n")
        }
    }

    /// Reports a core error and returns the exit status to throw.
    func fail(_ error: MigrationError) -> Error {
        switch error {
        case .statementFailed(let failure): report(error, statement: failure)
        case .invalidMigration(let at, _): report(error, location: at)
        default: report(error)
        }
        return error.isInvalidInput ? Exit.invalidInput : Exit.failure
    }

    func fail(_ error: ResolveError) -> Error {
        if case .spec(let spec) = error {
            report(error, location: SourceLocation(file: spec.file, line: spec.line, column: spec.column))
        } else {
            report(error)
        }
        return Exit.invalidInput
    }
}
