import SQLiteKit

extension DatabaseSchema {
    /// The schema a SQL file describes: the file run in an empty in-memory
    /// database, statement by statement as SQLite splits it. A statement SQLite
    /// refuses is `.invalidSchema` at its `file:line:column`; nothing is written anywhere.
    public static func load(file path: String, excluding trackingTable: String) throws(MigrationError) -> DatabaseSchema {
        try loadKeepingDatabase(file: path, excluding: trackingTable).schema
    }

    /// `load`, and the in-memory database when it holds the schema and nothing else (no
    /// rows, no object the model leaves out): a scratch database can start as a copy of it
    /// instead of running the dump again, which costs SQLite a scan of its schema per CREATE.
    static func loadKeepingDatabase(file path: String, excluding trackingTable: String) throws(MigrationError)
        -> (schema: DatabaseSchema, database: Connection?) {
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
            let schema = try read(db, excluding: trackingTable)
            let objects = try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")?.int ?? -1
            let modelled = schema.tables.count + schema.indexes.filter { $0.sql != nil }.count + schema.views.count + schema.triggers.count
            return (schema, db.totalChanges == 0 && objects == Int64(modelled) ? db : nil)
        } catch let error as MigrationError {
            throw error
        } catch {
            throw .sqlite(error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)"), while: "reading \(path)")
        }
    }
}
