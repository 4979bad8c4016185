import Testing
@testable import SQLiteKit

/// Runs every statement of `sql` on a fresh in-memory database and returns the texts SQLite split out.
private func split(_ sql: String) throws -> [String] {
    let db = try Connection(path: ":memory:")
    let script = SQLScript(sql)
    var texts: [String] = []
    while let next = try script.next(on: db) {
        try next.statement.run()
        texts.append(script.text(script.firstToken(from: next.range.lowerBound)..<next.range.upperBound))
    }
    return texts
}

@Suite("SQLScript: SQLite splits the statements")
struct SQLScriptTests {
    @Test("semicolons and -- inside strings do not split a statement")
    func stringsKeepSemicolons() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("""
            CREATE TABLE t (v TEXT);
            INSERT INTO t VALUES ('a;b'), ('c -- not a comment'), ('d /* nor this */');
            """)
        let values = try db.query("SELECT v FROM t ORDER BY rowid").map { $0[0] }
        #expect(values == ["a;b", "c -- not a comment", "d /* nor this */"])
    }

    @Test("a trigger body with semicolons is one statement")
    func triggerBody() throws {
        let texts = try split("""
            CREATE TABLE a (x);
            CREATE TABLE log (x);
            CREATE TRIGGER t AFTER INSERT ON a BEGIN
              INSERT INTO log VALUES (new.x);
              INSERT INTO log VALUES (new.x * 2);
            END;
            INSERT INTO a VALUES (1)
            """)
        #expect(texts.count == 4)
        #expect(texts[2].hasPrefix("CREATE TRIGGER"))
        #expect(texts[2].hasSuffix("END;"))
    }

    @Test("comments, CRLF line ends and a last statement without ';'")
    func commentsAndCRLF() throws {
        let texts = try split("-- header\r\n/* block; with semicolon */\r\nCREATE TABLE t (x);\r\nINSERT INTO t VALUES (1)\r\n-- trailing comment only\r\n")
        #expect(texts.count == 2)
        #expect(texts[1].hasPrefix("INSERT INTO t VALUES (1)"))
    }

    @Test("a script of only comments has no statements")
    func onlyComments() throws {
        #expect(try split("-- nothing here\n/* really */\n").isEmpty)
        #expect(SQLScript("-- x\n").statementRanges().isEmpty)
    }

    @Test("statementRanges finds the same statements as preparing them")
    func rangesMatchPrepare() throws {
        let sql = "CREATE TABLE t (x);\nINSERT INTO t VALUES (';');\nCREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;\n  SELECT 'x' -- end"
        let script = SQLScript(sql)
        let ranges = script.statementRanges()
        #expect(ranges.count == 4)
        #expect(try split(sql).count == ranges.count)
        #expect(script.text(ranges[2]).hasSuffix("END;"))
    }

    @Test("line and column of an offset count bytes from 1")
    func lineAndColumn() {
        let script = SQLScript("SELECT 1;\n  SELECT 2;\n")
        #expect(script.lineAndColumn(of: 0) == (1, 1))
        #expect(script.lineAndColumn(of: script.firstToken(from: 9)) == (2, 3))
    }

    @Test("a prepare error carries an absolute offset and the script can skip the statement")
    func prepareErrorOffset() throws {
        let db = try Connection(path: ":memory:")
        let script = SQLScript("SELECT 1;\nSELEC 2;\nSELECT 3;")
        _ = try script.next(on: db)
        #expect(throws: SQLiteError.self) { try script.next(on: db) }
        do {
            _ = try script.next(on: db)
        } catch let error as SQLiteError {
            #expect(error.offset == 10)
            #expect(error.message.contains("syntax error"))
        }
        let skipped = script.skipStatement()
        #expect(script.text(skipped) == "SELEC 2;")
        let third = try #require(try script.next(on: db))
        #expect(third.statement.sql.contains("SELECT 3"))
    }
}
