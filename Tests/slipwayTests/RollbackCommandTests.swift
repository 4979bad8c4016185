import Foundation
import Testing
import SQLiteKit

@Suite("slipway rollback and rehearse, driven as a process")
struct RollbackCommandTests {
    @Test("the example migrations roll back one by one to an empty schema")
    func examplesRollBack() throws {
        let cli = CLI()
        let examples = SqljsCompatibilityTests.examples
        #expect(try cli.run("migrate", "--db", "app.db", "--dir", examples).status == 0)
        try Connection(path: cli.database, mode: .readWrite).execute("INSERT INTO users (username, email) VALUES ('Ada', 'ADA@X')")
        // 007 ran outside a transaction, but only VACUUMs: nothing to undo, and nothing stands in the way.
        let compact = try cli.run("rollback", "--db", "app.db", "--dir", examples)
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(compact.stdout.contains("PLAN     007_compact.sql (nothing to undo): no step"), "\(compact.stdout)")
        let dry = try cli.run("rollback", "--db", "app.db", "--dir", examples, "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("PLAN     006_split_user_profiles.sql (down section):"), "\(dry.stdout)")
        let json = try cli.run("rollback", "--db", "app.db", "--dir", examples, "--steps", "2", "--json")
        #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
        #expect(json.jsonLines.filter { $0["event"] as? String == "rolled_back" }.compactMap { $0["file"] as? String }
            == ["006_split_user_profiles.sql", "005_create_audit_log.sql"])
        #expect(json.jsonLines.last?["rolled_back"] as? Int == 2)
        // Ada was written by "the app" after the migrations: taking users away loses her.
        let loss = try cli.run("rollback", "--db", "app.db", "--dir", examples, "--steps", "4")
        #expect(loss.status == 1)
        #expect(loss.stdout.contains("DATA LOSS 001_create_users.sql: users: created by this migration and changed since"))
        let rest = try cli.run("rollback", "--db", "app.db", "--dir", examples, "--steps", "4", "--accept-data-loss")
        #expect(rest.status == 0, "\(rest.stdout)\(rest.stderr)")
        #expect(try cli.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'") == [])
    }

    @Test("data loss is listed and refused with exit 1; --accept-data-loss goes on")
    func dataLoss() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        try Connection(path: cli.database, mode: .readWrite).execute("INSERT INTO notes (body) VALUES ('written by the app')")
        let refused = try cli.run("rollback", "--db", "app.db")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("DATA LOSS 001_a.sql: notes: created by this migration and changed since; rollback drops it with its 1 row"))
        #expect(refused.stderr.contains("--accept-data-loss"))
        #expect(try cli.query("SELECT count(*) FROM notes") == [[1]])
        #expect(try cli.run("rollback", "--db", "app.db", "--accept-data-loss").status == 0)
        #expect(try cli.query("SELECT count(*) FROM sqlite_master WHERE name = 'notes'") == [[0]])
    }

    @Test("rehearse: a migration that fails on the real rows is found, exit 1, the database untouched")
    func rehearse() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('a@x'), ('a@x');")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        cli.migration("002_unique.sql", "CREATE UNIQUE INDEX users_email ON users(email);")
        let bytes = FileManager.default.contents(atPath: cli.database)
        let result = try cli.run("rehearse", "--db", "app.db")
        #expect(result.status == 1)
        #expect(result.stdout.contains("FINDING  002_unique.sql: fails on a copy of the real data"), "\(result.stdout)")
        #expect(FileManager.default.contents(atPath: cli.database) == bytes)
        cli.migration("002_unique.sql", "CREATE INDEX users_email ON users(email);")
        let clean = try cli.run("rehearse", "--db", "app.db", "--json")
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.jsonLines.last?["findings"] as? Int == 0)
    }
}
