import Foundation
import SQLiteKit
import Testing

/// An applied migration edited afterwards ("drift"): migrate and deploy stop on it,
/// `repair` accepts an intended edit, `baseline` gives the sql.js runner's rows checksums.
@Suite("drift: migrate and deploy stop; repair and baseline")
struct DriftCommandTests {
    @Test("migrate stops on an edited applied file and applies nothing; repair accepts the edit; --allow-modified goes on")
    func migrateStopsAndRepair() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        cli.migration("001_a.sql", "-- the a table\nCREATE TABLE a (x);")
        cli.migration("002_b.sql", "CREATE TABLE b (x);")

        let stopped = try cli.run("migrate", "--db", "app.db")
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("001_a.sql changed after it was applied"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("slipway repair 001_a.sql") && stopped.stderr.contains("--allow-modified"))
        let db = try Connection(path: cli.database, mode: .readOnly)
        #expect(try db.query("SELECT filename FROM _migrations") == [["001_a.sql"]])
        let json = try cli.run("migrate", "--db", "app.db", "--json")
        #expect(json.status == 1 && json.jsonLines.last?["event"] as? String == "summary" && json.jsonLines.last?["ok"] as? Bool == false)

        let repaired = try cli.run("repair", "001", "--db", "app.db")
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(repaired.stdout.contains("REPAIRED 001_a.sql"))
        #expect(try db.query("SELECT json_extract(repairs, '$[0].action') FROM _migrations") == [["repair"]])
        #expect(try cli.run("repair", "001", "--db", "app.db").stdout.contains("Nothing to repair"))
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        #expect(try db.query("SELECT filename FROM _migrations ORDER BY id") == [["001_a.sql"], ["002_b.sql"]])

        cli.migration("002_b.sql", "CREATE TABLE b (x, y);")
        cli.migration("003_c.sql", "CREATE TABLE c (x);")
        let allowed = try cli.run("migrate", "--db", "app.db", "--allow-modified")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try db.query("SELECT count(*) FROM _migrations") == [[3]])
    }

    @Test("repair of a file that is not applied is invalid input (exit 2)")
    func repairPending() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        cli.migration("002_b.sql", "CREATE TABLE b (x);")
        let result = try cli.run("repair", "002_b.sql", "--db", "app.db")
        #expect(result.status == 2)
        #expect(result.stderr.contains("not applied yet"))
    }

    @Test("on the sql.js runner's database, baseline records checksums and an edit then shows as modified")
    func baselineSqljs() throws {
        let cli = CLI()
        let db = try Connection(path: cli.database)
        try db.execute("""
            CREATE TABLE _migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT UNIQUE NOT NULL, applied_at INTEGER NOT NULL);
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO _migrations (filename, applied_at) VALUES ('001_users.sql', 1729468800);
            """)
        cli.migration("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);")
        let validate = try cli.run("validate", "--db", "app.db")
        #expect(validate.status == 0)
        #expect(validate.stdout.contains("slipway baseline"), "\(validate.stdout)")

        let baseline = try cli.run("baseline", "--db", "app.db")
        #expect(baseline.status == 0, "\(baseline.stderr)")
        #expect(baseline.stdout.contains("BASELINE 001_users.sql"))
        #expect(try db.query("SELECT applied_at, length(checksum) FROM _migrations") == [[1729468800, 64]])
        let status = try cli.run("status", "--db", "app.db", "--json")
        #expect(status.jsonLines.first?["state"] as? String == "applied")

        cli.migration("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 1)
    }

    @Test("a deploy whose pull brings an edit to an applied migration fails at migrate and runs no later step; deploy --allow-modified goes on")
    func deployStopsOnDrift() throws {
        let repos = try GitRepos()
        repos.cli.write("deploy.yml", """
            app: demo
            database:
              path: app.db
            targets:
              local:
                path: target
            steps:
              - git: pull
              - migrate
              - run: touch ../started
            """)
        try repos.push("migrations/001_init.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);\n", message: "first")
        #expect(try repos.slipway("deploy", "local").status == 0)
        let started = repos.cli.root + "/started"
        try FileManager.default.removeItem(atPath: started)

        try repos.push("migrations/001_init.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);\n", message: "edit an applied migration")
        let deploy = try repos.slipway("deploy", "local")
        #expect(deploy.status == 1)
        #expect((deploy.stdout + deploy.stderr).contains("001_init.sql changed after it was applied"), "\(deploy.stdout)\(deploy.stderr)")
        #expect(!FileManager.default.fileExists(atPath: started))

        // Preflight now sees the drift too, before anything runs; --allow-modified lets it through.
        let refused = try repos.slipway("deploy", "local")
        #expect(refused.status == 1 && (refused.stdout + refused.stderr).contains("changed after it was applied"))
        let allowed = try repos.slipway("deploy", "local", "--allow-modified")
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: started))
    }
}
