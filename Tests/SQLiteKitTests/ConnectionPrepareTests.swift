import Testing
@testable import SQLiteKit

@Suite("Connection: prepare takes one statement, transaction commits or rolls back")
struct ConnectionPrepareTests {
    @Test("prepare refuses a second statement instead of silently dropping it")
    func refusesTwo() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x)")
        #expect(throws: SQLiteError.self) { try db.prepare("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)") }
        // A second statement SQLite cannot even prepare is still a second statement.
        #expect(throws: SQLiteError.self) { try db.query("SELECT 1; SELECT * FROM missing") }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
    }

    @Test("prepare accepts a trailing semicolon, whitespace and comments")
    func acceptsTrailingComments() throws {
        let db = try Connection(path: ":memory:")
        #expect(try db.scalar("SELECT 1; -- done\n /* really */ ;  \n") == .integer(1))
        #expect(try db.scalar("SELECT ';' || '--'") == .text(";--"))
    }

    @Test("transaction commits what the body did when it returns")
    func commits() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x)")
        let n = try db.transaction(.immediate) { try db.execute("INSERT INTO t VALUES (1)"); return 7 }
        #expect(n == 7)
        #expect(db.isAutocommit)
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(1))
    }

    @Test("transaction rolls back and rethrows the body's error")
    func rollsBack() throws {
        struct Stop: Error {}
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x)")
        #expect(throws: Stop.self) { try db.transaction { try db.execute("INSERT INTO t VALUES (1)"); throw Stop() } }
        #expect(db.isAutocommit)
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
    }

    @Test("collation(of:in:) reports a declared collation, BINARY otherwise, nil for a missing column")
    func collation() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT COLLATE NOCASE, b)")
        #expect(try db.collation(of: "a", in: "t") == "NOCASE")
        #expect(try db.collation(of: "b", in: "t") == "BINARY")
        #expect(try db.collation(of: "c", in: "t") == nil)
    }
}
