import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("SQLLayout: one layout for schema statements")
struct SQLLayoutTests {
    @Test("a table gets one column per line; comments and spacing go; literals and operators stay whole")
    func table() {
        let text = SQLLayout.normalized("""
            create table "T" ( -- the table
              a   INTEGER   PRIMARY KEY,b TEXT DEFAULT 'x  , y' CHECK(b<>'' AND a>=3.25),
              c BLOB DEFAULT x'00FF' , /* gone */ UNIQUE (b , c) ) STRICT;
            """)
        #expect(text == """
            create table T (
              a INTEGER PRIMARY KEY,
              b TEXT DEFAULT 'x  , y' CHECK (b<>'' AND a>=3.25),
              c BLOB DEFAULT x'00FF',
              UNIQUE (b, c)
            ) STRICT
            """)
    }

    @Test("the layout is a fixed point and keeps the statement valid and equivalent")
    func fixedPoint() throws {
        let statements = [
            "CREATE TABLE t(a INT PRIMARY KEY, b AS (a*2) STORED, CONSTRAINT k FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE) WITHOUT ROWID",
            "CREATE INDEX i ON t (lower(b) DESC, a) WHERE a IN (1,2 , 3)",
            "CREATE VIEW v AS SELECT count(*) AS n, -1 AS m FROM t WHERE a = - 1",
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a); DELETE FROM log WHERE x<0; END",
        ]
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE log (x)")
        for sql in statements {
            let once = SQLLayout.normalized(sql)
            #expect(SQLLayout.normalized(once) == once, "\(once)")
            #expect(SQLText.normalized(once) == SQLText.normalized(sql), "\(once)")
            try db.execute(once)
        }
        #expect(SQLLayout.normalized(statements[3]).contains("BEGIN\n  INSERT INTO log VALUES (new.a);\n  DELETE"))
    }

    @Test("names that RENAME quoted read as the author wrote them; quoting that matters stays")
    func names() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t_new (a); CREATE TABLE c (x REFERENCES t_new (a)); ALTER TABLE t_new RENAME TO t")
        let stored = try db.query("SELECT sql FROM sqlite_schema ORDER BY name").compactMap { $0[0].string }
        #expect(stored.map(SQLLayout.normalized) == ["CREATE TABLE c (\n  x REFERENCES t(a)\n)", "CREATE TABLE t (\n  a\n)"])
        #expect(SQLLayout.plainName("\"select\"") == "\"select\"")
        #expect(SQLLayout.plainName("\"two words\"") == "\"two words\"")
        #expect(SQLLayout.plainName("[Orders]") == "Orders")
        #expect(SQLLayout.normalized("CREATE VIEW v AS SELECT \"x\" FROM \"t\"") == "CREATE VIEW v AS SELECT \"x\" FROM \"t\"")
    }
}
