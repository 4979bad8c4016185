import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("migrate --dry-run and validate prepare every pending statement on a copy of the schema")
struct StatementCheckTests {
    @Test("a syntax error on line 7 of a pending file is found by the dry run, with file:line:column; nothing is created")
    func syntaxError() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);")
        p.write("002_b.sql", "CREATE TABLE b (x);\n\n\n\n\nINSERT INTO b VALUES (1);\nSELEC * FROM b;\n")
        let run = p.migrate { $0.dryRun = true }
        guard case .statementFailed(let failure)? = run.error else {
            Issue.record("expected statementFailed, got \(String(describing: run.error))")
            return
        }
        #expect(failure.location.file.hasSuffix("002_b.sql") && failure.location.line == 7 && failure.location.column == 1)
        #expect(failure.foundByCheck && failure.description.contains("nothing was applied"))
        #expect(!p.exists, "the dry run created no database")
    }

    @Test("statements are checked against the schema the earlier pending ones leave, on top of the real database's")
    func againstSchema() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'ada');")
        #expect(p.migrate().error == nil)
        p.write("002_b.sql", "ALTER TABLE users ADD COLUMN email TEXT;")
        p.write("003_c.sql", "UPDATE users SET email = name || '@x';\nUPDATE users SET phone = '';\n")
        let run = p.migrate { $0.dryRun = true }
        guard case .statementFailed(let failure)? = run.error else {
            Issue.record("expected statementFailed, got \(String(describing: run.error))")
            return
        }
        #expect(failure.location.file.hasSuffix("003_c.sql") && failure.location.line == 2)
        #expect(failure.sqliteMessage.contains("phone"))
        #expect(try p.db().query("SELECT count(*) FROM users").first?[0].int == 1, "the real rows are untouched")
        #expect(try p.tracked() == ["001_a.sql"])
    }

    @Test("clean pending files pass, and the check leaves the real database byte for byte as it was")
    func clean() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT id FROM t; CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END;")
        #expect(p.migrate().error == nil)
        p.write("002_b.sql", "INSERT INTO t VALUES (1);\nDROP VIEW v;\nCREATE VIEW v AS SELECT id * 2 AS d FROM t;")
        let before = try FullState(p.database)
        #expect(p.migrate { $0.dryRun = true }.error == nil)
        #expect(try FullState(p.database) == before)
    }
}
