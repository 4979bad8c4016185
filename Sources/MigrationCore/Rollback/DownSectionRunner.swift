import SQLiteKit

/// Runs a file's down section statement by statement, as rollback does and as
/// lint does on its copy, inside their transaction; a failure names the statement's
/// line in the file. BEGIN and COMMIT written in the section are skipped, as in an up
/// section (they would end the rollback's own transaction half-way); ROLLBACK is refused.
struct DownSectionRunner {
    let section: MigrationSource.Section
    /// The file's path or name, as the failure's location should show it.
    let file: String
    let hint: String?

    func run(on db: Connection) throws(MigrationError) {
        let script = SQLScript(section.sql)
        var control: String?
        db.setAuthorizer { event in
            if case .transaction(let operation) = event.action { control = operation }
        }
        defer { db.setAuthorizer(nil) }
        var index = 0
        while true {
            control = nil
            let next: ScriptStatement?
            do {
                next = try script.next(on: db)
            } catch {
                throw failure(script, script.position, (error as? SQLiteError)?.message ?? "\(error)", index + 1)
            }
            guard let next else { return }
            index += 1
            if let control {
                guard control != "ROLLBACK" else {
                    throw failure(script, next.range.lowerBound, "ROLLBACK inside a down section would undo the rollback without failing", index)
                }
                continue
            }
            do { try next.statement.run() } catch {
                throw failure(script, next.range.lowerBound, (error as? SQLiteError)?.message ?? "\(error)", index)
            }
        }
    }

    private func failure(_ script: SQLScript, _ offset: Int, _ message: String, _ index: Int) -> MigrationError {
        let start = script.firstToken(from: offset)
        let at = script.lineAndColumn(of: start)
        let end = script.statementEnd(from: start)
        var failure = StatementFailure(
            location: SourceLocation(file: file, line: at.line + section.firstLine - 1, column: at.column, section: "down"),
            statementIndex: index, statement: script.text(start..<end), sqliteMessage: message, hint: hint)
        failure.inRollback = true
        return .statementFailed(failure)
    }
}
