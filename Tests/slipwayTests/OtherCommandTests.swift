import Foundation
import Testing
import SQLiteKit

@Suite("slipway status, validate, reset, new")
struct OtherCommandTests {
    /// Two applied migrations, one of them then edited, one deleted, one pending.
    func drifted() throws -> CLI {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        cli.migration("002_b.sql", "CREATE TABLE b (x);")
        cli.migration("003_c.sql", "CREATE TABLE c (x);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        cli.migration("002_b.sql", "CREATE TABLE b (x, y);")
        try FileManager.default.removeItem(atPath: cli.root + "/migrations/003_c.sql")
        cli.migration("004_d.sql", "CREATE TABLE d (x);")
        return cli
    }

    @Test("status lists each state and changes nothing")
    func status() throws {
        let cli = try drifted()
        let before = FileManager.default.contents(atPath: cli.database)
        let result = try cli.run("status", "--db", "app.db", "--json")
        #expect(result.status == 0)
        let states = Dictionary(uniqueKeysWithValues: result.jsonLines.dropLast().map { ($0["file"] as! String, $0["state"] as! String) })
        #expect(states == ["001_a.sql": "applied", "002_b.sql": "modified", "003_c.sql": "missing", "004_d.sql": "pending"])
        #expect(result.jsonLines.last?["pending"] as? Int == 1)
        let applied = try #require(result.jsonLines.first)
        let at = try #require(applied["applied_at"] as? String)
        #expect(at.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "RFC 3339 UTC: \(at)")
        #expect(applied["applied_at_unix"] is Int)
        let human = try cli.run("status", "--db", "app.db")
        let lines = human.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("STATE     FILE       APPLIED (UTC)        DURATION") }, "\(human.stdout)")
        let modified = try #require(lines.first { $0.hasPrefix("MODIFIED  002_b.sql  ") }, "\(human.stdout)")
        #expect(modified.count(where: { $0 == ":" }) == 2, "its applied time: \(modified)")
        #expect(lines.contains("PENDING   004_d.sql  -                    -"), "\(human.stdout)")
        #expect(lines.dropLast().last == "4 migrations: 1 applied, 1 pending, 1 modified, 1 missing, 0 adopted")
        #expect(lines.last?.hasPrefix("Rollback data: ") == true && lines.last?.hasSuffix(" for 3 migrations") == true, "\(human.stdout)")
        #expect(FileManager.default.contents(atPath: cli.database) == before)
    }

    @Test("status on a missing database shows everything pending and creates nothing")
    func statusMissingDatabase() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        let result = try cli.run("status", "--db", "app.db")
        #expect(result.status == 0)
        #expect(result.stdout.contains("PENDING  001_a.sql  -"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }

    @Test("validate fails on modified and missing files, passes when they are restored")
    func validate() throws {
        let cli = try drifted()
        let result = try cli.run("validate", "--db", "app.db")
        #expect(result.status == 1)
        #expect(result.stdout.contains("error: 002_b.sql: changed after it was applied"))
        #expect(result.stdout.contains("error: 003_c.sql: recorded as applied but the file is gone"))
        cli.migration("002_b.sql", "CREATE TABLE b (x);")
        cli.migration("003_c.sql", "CREATE TABLE c (x);")
        let fixed = try cli.run("validate", "--db", "app.db")
        #expect(fixed.status == 0, "\(fixed.stdout)")
    }

    @Test("validate warns on gaps but passes; duplicate numbers fail")
    func validateNumbers() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "SELECT 1;")
        cli.migration("003_c.sql", "SELECT 1;")
        let gap = try cli.run("validate", "--db", "app.db", "--json")
        #expect(gap.status == 0)
        #expect(gap.jsonLines.contains { $0["severity"] as? String == "warning" })
        cli.migration("003_other.sql", "SELECT 1;")
        #expect(try cli.run("validate", "--db", "app.db").status == 1)
    }

    @Test("reset deletes one row; a name with no row is an error and nothing changes")
    func reset() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE IF NOT EXISTS a (x);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        let wrong = try cli.run("reset", "x' OR '1'='1", "--db", "app.db")
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("no migration"))
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[1]])
        let ok = try cli.run("reset", "001_a.sql", "--db", "app.db")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[0]])
        #expect(try cli.run("migrate", "--db", "app.db").stdout.contains("APPLY    001_a.sql"))
    }

    @Test("new creates the next file inside the folder and refuses path names")
    func new() throws {
        let cli = CLI()
        cli.migration("004_x.sql", "SELECT 1;")
        let result = try cli.run("new", "add invoices")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(cli.files(in: "migrations") == ["004_x.sql", "005_add_invoices.sql"])
        let bad = try cli.run("new", "../../etc/evil")
        #expect(bad.status == 2)
        #expect(cli.files(in: "migrations").count == 2)
    }
}

@Suite("validate prepares the pending statements")
struct ValidateStatementsTests {
    @Test("a bad statement in a pending file fails validate (exit 1) with file:line:column; fixed, it passes")
    func badStatement() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE b (x);\nINSERT INTO b (nope) VALUES (1);\n")
        let bad = try cli.run("validate", "--db", "app.db")
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("migrations/001_a.sql:2:1: error: statement 2 failed: table b has no column named nope"), "\(bad.stdout)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        let json = try cli.run("validate", "--db", "app.db", "--json").jsonLines
        #expect(json.contains { $0["event"] as? String == "finding" && $0["line"] as? Int == 2 && $0["column"] as? Int == 1 })
        cli.migration("001_a.sql", "CREATE TABLE b (x);\nINSERT INTO b (x) VALUES (1);\n")
        #expect(try cli.run("validate", "--db", "app.db").status == 0)
    }
}

@Suite("messages people meet on day one")
struct DayOneMessagesTests {
    @Test("reset takes a number as rollback --to does; a number two rows share is refused; a missing database is named as such")
    func resetByNumber() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);")
        cli.migration("002_b.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        let reset = try cli.run("reset", "002", "--db", "app.db")
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout.contains("Reset 002_b.sql"))
        #expect(try cli.query("SELECT filename FROM _migrations") == [[.text("001_a.sql")]])
        let missing = try cli.run("reset", "001", "--db", "nope.db")
        #expect(missing.status == 2 && missing.stderr.contains("'nope.db'") && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/nope.db"))
    }

    @Test("rollback --db on a database that does not exist says so, not 'no migration'")
    func rollbackMissingDatabase() throws {
        let cli = CLI()
        let r = try cli.run("rollback", "--db", "missing.db")
        #expect(r.status == 2)
        #expect(r.stderr.contains("'missing.db'") && r.stderr.contains("does not exist") && !r.stderr.contains("no migration"), "\(r.stderr)")
    }

    @Test("after bad input migrate says what is wrong, and no 'Failed: 0 applied' line (JSON still ends with its summary)")
    func noEmptySummary() throws {
        let cli = CLI()
        cli.write("notes.txt", "hello\n")
        let human = try cli.run("migrate", "--db", "notes.txt")
        #expect(human.status == 2, "\(human.stderr)")
        #expect(human.stderr.contains("'notes.txt' is not a usable SQLite database: it is a text file of 6 bytes that does not start with 'SQLite format 3'"), "\(human.stderr)")
        #expect(!human.stdout.contains("Failed"), "\(human.stdout)")
        let json = try cli.run("migrate", "--db", "notes.txt", "--json")
        #expect(json.status == 2 && json.jsonLines.last?["event"] as? String == "summary")
    }

    @Test("one step is '1 step'")
    func singular() throws {
        let cli = CLI()
        cli.write("deploy.yml", "targets:\n  local:\n    path: .\nsteps:\n  - run: \"true\"\n")
        let dry = try cli.run("deploy", "local", "--dry-run")
        #expect(dry.stdout.contains("1 step;") && !dry.stdout.contains("1 steps"), "\(dry.stdout)")
    }
}
