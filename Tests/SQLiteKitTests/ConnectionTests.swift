import Testing
import Foundation
@testable import SQLiteKit

@Suite("Connection: backup, authorizer, statement cache")
final class ConnectionTests {
    let folder: String = {
        let path = NSTemporaryDirectory() + "slipway-conn-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    @Test("a backup is a consistent copy with the same rows")
    func backupCopies() throws {
        let source = try Connection(path: folder + "/source.db")
        try source.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1), ('two'), (X'03')")
        try source.backup(to: folder + "/copy.db")
        let copy = try Connection(path: folder + "/copy.db", mode: .readOnly)
        #expect(try copy.query("SELECT x FROM t ORDER BY rowid") == [[.integer(1)], [.text("two")], [.blob([3])]])
    }

    @Test("hasTable: tables in any case, not views, not missing names, and it follows DDL in a transaction")
    func hasTable() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE Orders (x); CREATE VIEW v AS SELECT x FROM Orders")
        #expect(try db.hasTable("Orders"))
        #expect(try db.hasTable("orders"))
        #expect(try !db.hasTable("v"))
        #expect(try !db.hasTable("missing"))
        #expect(try !db.hasTable("Orders", schema: "temp"))
        try db.execute("BEGIN; ALTER TABLE Orders RENAME TO invoices")
        #expect(try !db.hasTable("orders"))
        #expect(try db.hasTable("INVOICES"))
        try db.execute("ROLLBACK")
        #expect(try db.hasTable("orders"))
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

    @Test("a cached statement is prepared once and reusable with new bindings")
    func cachedStatement() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x)")
        let insert = try db.cached("INSERT INTO t VALUES (?)")
        #expect(try db.cached("INSERT INTO t VALUES (?)") === insert)
        try insert.bind([1]).run()
        try insert.bind(["two"]).run()
        #expect(try db.query("SELECT x FROM t ORDER BY rowid") == [[1], ["two"]])
    }
}
