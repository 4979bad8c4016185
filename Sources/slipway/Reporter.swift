import MigrationCore

/// Renders what the core reports: human lines (stdout, progress and colour on a
/// terminal only) or one JSON object per line.
///
/// Output streams line by line (a deploy shows a remote `migrate --json` live),
/// except lines marked `batched` (a thousand SKIP lines), which wait for the next
/// line that is not, for stderr output, or for the end of the command.
final class Reporter: @unchecked Sendable {  // a fleet's hosts report through one lock (TargetSession)
    let json: Bool
    let out = Terminal.standardOutput
    let err = Terminal.standardError
    private var progressShown = false
    private var buffer: [UInt8] = []

    init(json: Bool) { self.json = json }

    deinit { flush() }

    func emit(_ event: JSONEvent, batched: Bool = false) {
        write(event.rendered + "\n", batched: batched)
    }

    /// A human line on stdout, clearing a progress line first.
    func say(_ text: String, batched: Bool = false) {
        clearProgress()
        write(text + "\n", batched: batched)
    }

    func progress(_ text: String) {
        guard out.isTTY else { return }
        write("\r\u{1B}[K" + text)
        progressShown = true
    }

    func clearProgress() {
        if progressShown {
            write("\r\u{1B}[K")
            progressShown = false
        }
    }

    private func write(_ text: String, batched: Bool = false) {
        buffer.append(contentsOf: text.utf8)
        if !batched || out.isTTY || buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        out.write(buffer)
        buffer.removeAll(keepingCapacity: true)
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
                event.section = statement.location.section
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
            flush()
            err.write(err.paint("slipway: error: ", .red) + "\(error)" + "\n")
        }
    }

    /// Reports a core error and returns the exit status to throw.
    func fail(_ error: MigrationError) -> Error {
        switch error {
        case .statementFailed(let failure): report(error, statement: failure)
        case .invalidMigration(let at, _), .invalidSchema(let at, _): report(error, location: at)
        case .prerequisites(let problems): report(error, location: problems.first?.location)
        default: report(error)
        }
        return error.isInvalidInput ? Exit.invalidInput : Exit.failure
    }

    func fail(_ error: ResolveError) -> Error {
        if case .spec(let spec) = error, spec.hasPosition {
            report(error, location: SourceLocation(file: spec.file, line: spec.line, column: spec.column))
        } else {
            report(error)
        }
        return Exit.invalidInput
    }
}
