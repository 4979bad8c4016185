import Testing
import Foundation
@testable import SQLiteKit

@Suite("DatabaseFile: what is at a path, before SQLite opens it")
struct DatabaseFileTests {
    let folder: String = {
        let path = NSTemporaryDirectory() + "slipway-dbfile-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test("a real database, a text file, an empty file, a folder and nothing")
    func kinds() throws {
        let db = folder + "/real.db"
        try Connection(path: db).execute("CREATE TABLE t (x)")
        #expect(DatabaseFile.inspect(db) == .sqlite)

        let text = folder + "/notes.txt"
        try "hello; this is not a database\n".write(toFile: text, atomically: true, encoding: .utf8)
        guard case .notSQLite = DatabaseFile.inspect(text) else { Issue.record("text file accepted"); return }

        _ = FileManager.default.createFile(atPath: folder + "/empty.db", contents: Data())
        #expect(DatabaseFile.inspect(folder + "/empty.db") == .empty)
        #expect(DatabaseFile.inspect(folder) == .directory)
        #expect(DatabaseFile.inspect(folder + "/nope.db") == .missing)
    }

    @Test("a backup is a consistent copy with the same rows")
    func backupCopies() throws {
        let source = try Connection(path: folder + "/source.db")
        try source.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1), ('two'), (X'03')")
        try source.backup(to: folder + "/copy.db")
        let copy = try Connection(path: folder + "/copy.db", mode: .readOnly)
        #expect(try copy.query("SELECT x FROM t ORDER BY rowid") == [[.integer(1)], [.text("two")], [.blob([3])]])
    }

    @Test("the authorizer reports the tables a statement writes, trigger bodies included")
    func authorizerSeesWrites() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE a (x, y); CREATE TABLE log (x); CREATE TRIGGER t AFTER UPDATE ON a BEGIN INSERT INTO log VALUES (new.x); END;")
        var seen: [AuthorizerEvent.Action] = []
        db.setAuthorizer { seen.append($0.action) }
        _ = try db.prepare("UPDATE a SET y = 1")
        db.setAuthorizer(nil)
        #expect(seen.contains(.update(table: "a", column: "y")))
        #expect(seen.contains(.insert(table: "log")))
    }
}
