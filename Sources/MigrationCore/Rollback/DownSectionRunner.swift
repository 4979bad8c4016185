import SQLiteKit

/// Runs a file's down section statement by statement, as rollback does and as
/// lint does on its copy; a failure names the statement's line in the file.
struct DownSectionRunner {
    let section: MigrationSource.Section
    /// The file's path or name, as the failure's location should show it.
    let file: String
    let hint: String?

    func run(on db: Connection) throws(MigrationError) {
        let script = SQLScript(section.sql)
        var index = 0
        while true {
            let next: ScriptStatement?
            do {
                next = try script.next(on: db)
            } catch {
                throw failure(script, script.position, error, index + 1)
            }
            guard let next else { return }
            index += 1
            do { try next.statement.run() } catch {
                throw failure(script, next.range.lowerBound, error, index)
            }
        }
    }

    private func failure(_ script: SQLScript, _ offset: Int, _ error: any Error, _ index: Int) -> MigrationError {
        let start = script.firstToken(from: offset)
        let at = script.lineAndColumn(of: start)
        let end = script.statementEnd(from: start)
        return .statementFailed(StatementFailure(
            location: SourceLocation(file: file + " (down section)", line: at.line + section.firstLine - 1, column: at.column),
            statementIndex: index, statement: script.text(start..<end),
            sqliteMessage: (error as? SQLiteError)?.message ?? "\(error)", hint: hint))
    }
}
