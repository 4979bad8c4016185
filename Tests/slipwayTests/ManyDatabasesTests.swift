import Foundation
import SQLiteKit
import Testing

/// `migrate --db 'tenants/*.db'`: many database files that take the same migrations,
/// `--jobs` at a time, each with a single database's guarantees.
@Suite("many databases: --db patterns, --jobs, --keep-going")
struct ManyDatabasesTests {
    /// `names` empty databases in tenants/, and two migrations.
    func tenants(_ names: [String]) throws -> CLI {
        let cli = CLI()
        cli.migration("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);")
        cli.migration("002_seed.sql", "INSERT INTO users (name) VALUES ('admin');")
        try FileManager.default.createDirectory(atPath: cli.root + "/tenants", withIntermediateDirectories: true)
        for name in names { try Connection(path: cli.root + "/tenants/\(name).db").execute("PRAGMA user_version = 1") }
        return cli
    }

    func applied(_ cli: CLI, _ name: String) throws -> [[SQLiteValue]] {
        try Connection(path: cli.root + "/tenants/\(name).db", mode: .readOnly).query("SELECT filename FROM _migrations ORDER BY id")
    }

    @Test("every matched database gets every migration once; --json has a summary per database and the total; status shows each")
    func allDatabases() throws {
        let names = ["a", "b", "c", "d", "e", "f"]
        let cli = try tenants(names)
        let run = try cli.run("migrate", "--db", "tenants/*.db", "--jobs", "2", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        for name in names { #expect(try applied(cli, name) == [["001_users.sql"], ["002_seed.sql"]]) }
        let summaries = run.jsonLines.filter { $0["event"] as? String == "summary" }
        #expect(summaries.count == names.count + 1)
        #expect(Set(summaries.dropLast().compactMap { $0["database"] as? String }) == Set(names.map { "tenants/\($0).db" }))
        #expect(summaries.last?["databases"] as? Int == 6 && summaries.last?["applied"] as? Int == 12 && summaries.last?["ok"] as? Bool == true)
        #expect(run.jsonLines.filter { $0["event"] as? String == "applied" }.allSatisfy { $0["database"] is String })

        let again = try cli.run("migrate", "--db", "tenants/*.db")
        #expect(again.status == 0 && again.stdout.contains("Done: 6 databases, 0 migrations applied"), "\(again.stdout)")
        let status = try cli.run("status", "--db", "tenants/*.db", "--db", "tenants/a.db")
        #expect(status.stdout.contains("6 databases") && status.stdout.contains("Every database is up to date."), "\(status.stdout)")
        #expect(status.stdout.contains("tenants/f.db  2        0"), "\(status.stdout)")
        // A command that works on one database refuses a selection.
        let reset = try cli.run("reset", "001", "--db", "tenants/*.db")
        #expect(reset.status == 2 && reset.stderr.contains("--db selects 6 databases, but this command works on one"))
    }

    @Test("a failing database stops new ones and touches no other; --keep-going migrates the rest; exit 1")
    func failureStops() throws {
        let cli = try tenants(["a", "c"])
        // b already has a users table with another shape: 002 fails there.
        try Connection(path: cli.root + "/tenants/b.db").execute("CREATE TABLE users (id INTEGER PRIMARY KEY);")
        let run = try cli.run("migrate", "--db", "tenants/*.db", "--jobs", "1")
        #expect(run.status == 1)
        #expect(run.stdout.contains("tenants/c.db  -        -        not started"), "\(run.stdout)")
        #expect(run.stderr.contains("tenants/b.db: "), "\(run.stderr)")
        #expect(try applied(cli, "a").count == 2)
        #expect(try applied(cli, "b") == [["001_users.sql"]])  // 002 rolled back there, 001 tolerated as in the sql.js runner
        #expect(try Connection(path: cli.root + "/tenants/c.db", mode: .readOnly).query("SELECT count(*) FROM sqlite_master") == [[0]])
        let going = try cli.run("migrate", "--db", "tenants/*.db", "--jobs", "1", "--keep-going")
        #expect(going.status == 1)
        #expect(try applied(cli, "c").count == 2)
    }

    @Test("1000 small databases under a low open-files limit: each connection is closed as its database finishes")
    func manySmall() throws {
        let cli = try tenants(["template"])
        let template = cli.root + "/tenants/template.db"
        for i in 0..<1000 { try FileManager.default.copyItem(atPath: template, toPath: cli.root + "/tenants/t\(i).db") }
        try FileManager.default.removeItem(atPath: template)
        let run = try cli.run(["-c", "ulimit -n 48 && exec \"$0\" migrate --db 'tenants/*.db' --jobs 4 --json", CLI.binary], executable: "/bin/sh")
        #expect(run.status == 0, "\(run.stderr.prefix(500))")
        let total = try #require(run.jsonLines.last)
        #expect(total["databases"] as? Int == 1000 && total["applied"] as? Int == 2000 && total["ok"] as? Bool == true)
        #expect(try applied(cli, "t999").count == 2)
    }

    @Test("Ctrl-C stops every running database at its statement: no half-applied migration anywhere, exit 130")
    func interrupt() throws {
        let cli = try tenants(["a", "b", "c"])
        // Long enough (tens of seconds) that the signal always lands while it runs.
        cli.migration("003_slow.sql", """
            CREATE TABLE slow (x);
            WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 300000000) SELECT count(*) FROM n;
            """)
        var (process, stdout, seen) = try cli.startAndWait(
            for: ["\"event\":\"applying\",\"file\":\"003_slow.sql\""], ["migrate", "--db", "tenants/*.db", "--jobs", "3", "--json"])
        kill(process.processIdentifier, SIGINT)
        seen += String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(seen.suffix(400))")
        for name in ["a", "b", "c"] {
            let db = try Connection(path: cli.root + "/tenants/\(name).db", mode: .readOnly)
            #expect(try db.query("SELECT count(*) FROM sqlite_master WHERE name = 'slow'") == [[0]])
            #expect(try db.query("SELECT count(*) FROM _migrations WHERE filename = '003_slow.sql'") == [[0]])
        }
    }

    @Test("database.path may be a pattern: preflight checks each database and the deploy's migrate step migrates them all")
    func deployPattern() throws {
        let cli = try tenants(["a", "b"])
        cli.write("deploy.yml", "database:\n  path: tenants/*.db\ntargets:\n  local:\n    path: .\nsteps:\n  - migrate\n")
        let deploy = try cli.run("deploy", "local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(deploy.stdout.contains("2 databases match tenants/*.db, each checked"), "\(deploy.stdout)")
        #expect(try applied(cli, "a").count == 2 && applied(cli, "b").count == 2)
        try FileManager.default.removeItem(atPath: cli.root + "/tenants/a.db")
        try FileManager.default.removeItem(atPath: cli.root + "/tenants/b.db")
        let none = try cli.run("deploy", "local")
        #expect(none.status == 1 && (none.stdout + none.stderr).contains("database.path 'tenants/*.db' matches no file on the target"))
    }

    @Test("rollback TARGET of a deploy whose database.path is a pattern: each database undoes what it has; data loss names its database")
    func rollbackTargetPattern() throws {
        let cli = try tenants(["a", "b"])
        cli.write("deploy.yml", "database:\n  path: tenants/*.db\n  backup: true\ntargets:\n  local:\n    path: .\nsteps:\n  - migrate\n")
        #expect(try cli.run("deploy", "local").status == 0)
        cli.migration("003_email.sql", "ALTER TABLE users ADD COLUMN email TEXT;\nUPDATE users SET email = 'admin@example.com';")
        let second = try cli.run("deploy", "local")
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(try applied(cli, "a").count == 3 && applied(cli, "b").count == 3)

        // b's users get an address after the deploy: undoing 003 there would drop it.
        try Connection(path: cli.root + "/tenants/b.db").execute("INSERT INTO users (name, email) VALUES ('eve', 'eve@example.com')")
        let refused = try cli.run("rollback", "local")
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains("003_email.sql: tenants/b.db: users"), "\(refused.stdout)\(refused.stderr)")
        #expect(try applied(cli, "a").count == 3 && applied(cli, "b").count == 3, "a refusal changes no database")

        // An earlier rollback by hand already undid a's copy: the deploy's rollback skips it there.
        #expect(try cli.run("rollback", "--db", "tenants/a.db").status == 0)
        let dryRun = try cli.run("rollback", "local", "--dry-run", "--accept-data-loss")
        #expect(dryRun.status == 0 && dryRun.stdout.contains("--if-applied"), "\(dryRun.stdout)\(dryRun.stderr)")
        let rollback = try cli.run("rollback", "local", "--accept-data-loss")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(try applied(cli, "a") == [["001_users.sql"], ["002_seed.sql"]] && applied(cli, "b") == [["001_users.sql"], ["002_seed.sql"]])
        #expect(try Connection(path: cli.root + "/tenants/b.db", mode: .readOnly).query("SELECT name FROM pragma_table_info('users')")
            == [["id"], ["name"]])
        // database.backup: true kept a copy of each database before the rollback.
        let backups = try FileManager.default.contentsOfDirectory(atPath: cli.root + "/tenants/.slipway/backups")
        #expect(backups.contains { $0.hasPrefix("a.db") } && backups.contains { $0.hasPrefix("b.db") }, "\(backups)")

        // A database whose migration cannot be undone stops the rollback before anything runs, and is named.
        #expect(try cli.run("deploy", "local").status == 0)
        try Connection(path: cli.root + "/tenants/b.db").execute("UPDATE _migrations SET rollback_record = NULL WHERE filename = '003_email.sql'")
        let stuck = try cli.run("rollback", "local")
        #expect(stuck.status == 1)
        #expect((stuck.stdout + stuck.stderr).contains("tenants/b.db: "), "\(stuck.stdout)\(stuck.stderr)")
        #expect(try applied(cli, "a").count == 3 && applied(cli, "b").count == 3)
    }

    @Test("rollback over a selection undoes the same on each database, in its own transaction")
    func rollbackMany() throws {
        let cli = try tenants(["a", "b"])
        #expect(try cli.run("migrate", "--db", "tenants/*.db").status == 0)
        let run = try cli.run("rollback", "--db", "tenants/*.db", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.jsonLines.last?["databases"] as? Int == 2 && run.jsonLines.last?["rolled_back"] as? Int == 2)
        #expect(try applied(cli, "a") == [["001_users.sql"]] && applied(cli, "b") == [["001_users.sql"]])
        #expect(try Connection(path: cli.root + "/tenants/a.db", mode: .readOnly).query("SELECT count(*) FROM users") == [[0]])
        // --if-applied skips a database that does not have the migration; without it, that database refuses.
        #expect(try cli.run("rollback", "--db", "tenants/a.db").status == 0)
        #expect(try cli.run("rollback", "--db", "tenants/*.db", "--migration", "001_users.sql").status == 2)
        #expect(try applied(cli, "b") == [["001_users.sql"]], "the refusal on a stops the run before b")
        #expect(try cli.run("rollback", "--db", "tenants/*.db", "--migration", "001_users.sql", "--if-applied").status == 0)
        #expect(try applied(cli, "a") == [] && applied(cli, "b") == [])
        #expect(try cli.run("rollback", "--if-applied").status == 2, "--if-applied needs --migration")
    }

    @Test("rehearse over a selection rehearses each database: the tenant whose data trips a migration is named, none is touched")
    func rehearseMany() throws {
        let cli = try tenants(["a", "b"])
        #expect(try cli.run("migrate", "--db", "tenants/*.db").status == 0)
        try Connection(path: cli.root + "/tenants/b.db").execute("INSERT INTO users (name) VALUES ('admin');")
        cli.migration("003_unique.sql", "CREATE UNIQUE INDEX users_name ON users (name);")
        let run = try cli.run("rehearse", "--db", "tenants/*.db", "--json")
        #expect(run.status == 1)
        let summaries = run.jsonLines.filter { $0["event"] as? String == "summary" }
        #expect(summaries.map { $0["database"] as? String } == ["tenants/a.db", "tenants/b.db"])
        #expect(summaries.map { $0["ok"] as? Bool } == [true, false])
        #expect(try applied(cli, "a").count == 2 && applied(cli, "b").count == 2)
    }

    @Test("dump over a selection prints the schema they share once, and names a database whose schema differs")
    func dumpMany() throws {
        let cli = try tenants(["a", "b", "c"])
        #expect(try cli.run("migrate", "--db", "tenants/*.db").status == 0)
        let same = try cli.run("dump", "--db", "tenants/*.db")
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout == (try cli.run("dump", "--db", "tenants/a.db")).stdout)
        #expect(same.stdout.contains("CREATE TABLE users"))
        try Connection(path: cli.root + "/tenants/c.db").execute("CREATE INDEX by_name ON users (name);")
        let drifted = try cli.run("dump", "--db", "tenants/*.db")
        #expect(drifted.status == 1)
        #expect(drifted.stderr.contains("the schema of tenants/c.db differs from tenants/a.db's"), "\(drifted.stderr)")
    }
}
