import Foundation
import Testing
import SQLiteKit

@Suite("keep_rollback, slipway prune and status's rollback data, driven as a process")
struct PruneCommandTests {
    /// A table without a primary key and `count` migrations that update it: each keeps a copy table.
    func project(_ count: Int) throws -> CLI {
        let cli = CLI()
        try Connection(path: cli.database).execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('a');")
        for i in 1...count { cli.migration(String(format: "%03d_note.sql", i), "UPDATE notes SET body = body || '\(i)';") }
        return cli
    }

    func copies(_ cli: CLI) throws -> Int64? {
        try cli.query("SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_slipway\\_snap\\_%' ESCAPE '\\'").first?.first?.int
    }

    @Test("migrate keeps --keep-rollback migrations' data and says what it pruned; rollback past them refuses, changing nothing")
    func migrateKeeps() throws {
        let cli = try project(4)
        #expect(try cli.run("migrate", "--db", "app.db", "--to", "002").status == 0)
        let up = try cli.run("migrate", "--db", "app.db", "--keep-rollback", "2")
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout.contains("PRUNE    rollback data of 2 older migrations ("), "\(up.stdout)")
        #expect(try copies(cli) == 2)
        let refused = try cli.run("rollback", "--db", "app.db", "--steps", "3")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("002_note.sql cannot be rolled back: its rollback data was pruned"), "\(refused.stderr)")
        #expect(refused.stderr.contains("-- migrate:down"))
        #expect(!refused.stdout.contains("ROLLBACK"), "\(refused.stdout)")
        #expect(try cli.query("SELECT body FROM notes") == [[.text("a1234")]])
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[4]])
        #expect(try cli.run("rollback", "--db", "app.db", "--steps", "2").status == 0)
        #expect(try cli.query("SELECT body FROM notes") == [[.text("a12")]])
    }

    @Test("deploy.yml's database.keep_rollback is migrate's default; --json reports the pruned migrations")
    func specSetting() throws {
        let cli = try project(3)
        cli.write("deploy.yml", "database:\n  path: app.db\n  keep_rollback: 1\n")
        #expect(try cli.run("migrate", "--to", "002").status == 0)  // a run keeps what it applied
        let up = try cli.run("migrate", "--json")
        #expect(up.status == 0, "\(up.stderr)")
        let pruned = up.jsonLines.first { $0["event"] as? String == "pruned" }
        #expect(pruned?["migrations"] as? [String] == ["001_note.sql", "002_note.sql"])
        #expect(pruned?["keep"] as? Int == 1)
        #expect((pruned?["bytes"] as? Int ?? 0) > 0)
        #expect(try copies(cli) == 1)
    }

    @Test("prune --keep: dry run, the run with what it freed, status before and after")
    func pruneByHand() throws {
        let cli = try project(3)
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        let status = try cli.run("status", "--db", "app.db")
        #expect(status.stdout.contains("Rollback data: "), "\(status.stdout)")
        #expect(status.stdout.contains(" for 3 migrations"), "\(status.stdout)")
        let before = try cli.run("status", "--db", "app.db", "--json").jsonLines.last
        #expect(before?["rollback_migrations"] as? Int == 3)
        let full = before?["rollback_bytes"] as? Int ?? 0
        #expect(full > 0)

        let dry = try cli.run("prune", "--db", "app.db", "--keep", "1", "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("WOULD    001_note.sql (1 copy, "), "\(dry.stdout)")
        #expect(dry.stdout.contains("nothing was changed"))
        #expect(try copies(cli) == 3)

        let run = try cli.run("prune", "--db", "app.db", "--keep", "1", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.jsonLines.filter { $0["event"] as? String == "pruned" }.compactMap { $0["file"] as? String } == ["001_note.sql", "002_note.sql"])
        let freed = run.jsonLines.last?["bytes"] as? Int ?? 0
        #expect(run.jsonLines.last?["pruned"] as? Int == 2)
        #expect(try copies(cli) == 1)
        let after = try cli.run("status", "--db", "app.db", "--json").jsonLines.last
        #expect(after?["rollback_migrations"] as? Int == 1)
        #expect(after?["rollback_bytes"] as? Int == full - freed)
        #expect(try cli.run("status", "--db", "app.db").stdout.contains("(2 older pruned, keep_rollback 20)"))

        let again = try cli.run("prune", "--db", "app.db", "--keep", "1")
        #expect(again.stdout.contains("Nothing to prune"), "\(again.stdout)")
        let vacuum = try cli.run("prune", "--db", "app.db", "--keep", "0", "--vacuum")
        #expect(vacuum.status == 0, "\(vacuum.stderr)")
        #expect(vacuum.stdout.contains("VACUUM: app.db is now "), "\(vacuum.stdout)")
    }

    @Test("a negative keep and --vacuum with --dry-run are usage errors (exit 2) that touch nothing")
    func badInput() throws {
        let cli = try project(1)
        let migrate = try cli.run("migrate", "--db", "app.db", "--keep-rollback=-1")
        #expect(migrate.status == 2)
        #expect(migrate.stderr.contains("--keep-rollback must be 0 or more"), "\(migrate.stderr)")
        #expect(try cli.query("SELECT count(*) FROM sqlite_master WHERE name = '_migrations'") == [[0]])
        #expect(try cli.run("prune", "--db", "app.db", "--keep=-3").status == 2)
        #expect(try cli.run("prune", "--db", "app.db", "--dry-run", "--vacuum").status == 2)
        cli.write("deploy.yml", "database:\n  path: app.db\n  keep_rollback: -1\n")
        let spec = try cli.run("migrate")
        #expect(spec.status == 2)
        #expect(spec.stderr.contains("deploy.yml:3:18: error: database.keep_rollback: expected a whole number ≥ 0"), "\(spec.stderr)")
        #expect(try cli.run("prune", "--db", "missing.db").status == 2)
    }
}
