import SQLiteKit

extension DatabaseSchema {
    /// The schema a SQL file describes: the file run in an empty in-memory
    /// database, statement by statement as SQLite splits it. A statement SQLite
    /// refuses is `.invalidSchema` at its `file:line:column`; nothing is written anywhere.
    public static func load(file path: String, excluding trackingTable: String) throws(MigrationError) -> DatabaseSchema {
        let text = String(decoding: try FileSystem.read(path), as: UTF8.self)
        let script = SQLScript(text)
        do {
            let db = try Connection(path: ":memory:")
            while true {
                let start = script.firstToken(from: script.position)
                func invalid(_ error: SQLiteError, at offset: Int) -> MigrationError {
                    let (line, column) = script.lineAndColumn(of: offset)
                    return .invalidSchema(SourceLocation(file: path, line: line, column: column), error.message)
                }
                let next: ScriptStatement
                do {
                    guard let prepared = try script.next(on: db) else { break }
                    next = prepared
                } catch let error as SQLiteError {
                    throw invalid(error, at: error.offset ?? start)  // the offset of the word SQLite stopped at
                }
                do { try next.statement.run() } catch let error as SQLiteError {
                    throw invalid(error, at: script.firstToken(from: next.range.lowerBound))
                }
            }
            return try read(db, excluding: trackingTable)
        } catch let error as MigrationError {
            throw error
        } catch {
            throw .sqlite(error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)"), while: "reading \(path)")
        }
    }
}
