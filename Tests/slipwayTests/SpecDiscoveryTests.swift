import Foundation
import SQLiteKit
import Testing

/// `slipway init`, deploy.yml found from a subfolder, `.env` feeding `${VAR}`, and a
/// missing migrations folder reported at the key that names it.
@Suite("init, deploy.yml found by walking up, .env")
struct SpecDiscoveryTests {
    @Test("init writes a deploy.yml that check accepts and a migrations folder; deploy local then migrates; a second init writes nothing")
    func initProject() throws {
        let cli = CLI()
        try FileManager.default.removeItem(atPath: cli.root + "/migrations")
        let made = try cli.run("init", "--app", "shop")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("Created deploy.yml and migrations/."))
        let spec = cli.read("deploy.yml")
        #expect(spec.contains("app: shop") && spec.contains("  local:\n    path: .") && spec.contains("# on_failure:"))
        #expect(try cli.run("check").stdout.contains("deploy.yml: ok: 1 target (local), 1 step."))
        cli.migration("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);")
        let deploy = try cli.run("deploy", "local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(try Connection(path: cli.database, mode: .readOnly).query("SELECT filename FROM _migrations") == [["001_users.sql"]])

        let again = try cli.run("init")
        #expect(again.status == 2 && again.stderr.contains("deploy.yml already exists here"))
        #expect(cli.read("deploy.yml") == spec)
    }

    @Test("from a subfolder, every command finds deploy.yml above and resolves its paths from there")
    func walksUp() throws {
        let cli = CLI()
        cli.write("deploy.yml", "database:\n  path: app.db\ntargets:\n  local:\n    path: .\nsteps:\n  - migrate\n")
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        cli.write("src/deep/keep", "")
        let deep = cli.root + "/src/deep"
        let migrate = try cli.run(["migrate"], in: deep)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.database))
        #expect(try cli.run(["status", "--json"], in: deep).jsonLines.first?["state"] as? String == "applied")
        #expect(try cli.run(["check"], in: deep).stdout.contains("../../deploy.yml: ok"))
        #expect(try cli.run(["deploy", "local"], in: deep).status == 0)
        #expect(!FileManager.default.fileExists(atPath: deep + "/app.db"))
    }

    @Test("the walk stops at the repository's top: a deploy.yml above it is not used")
    func stopsAtRepository() throws {
        let cli = CLI()
        cli.write("deploy.yml", "database:\n  path: outside.db\n")
        cli.write("repo/.git/HEAD", "ref: refs/heads/main\n")
        cli.write("repo/migrations/001_a.sql", "CREATE TABLE a (x);")
        let result = try cli.run(["migrate"], in: cli.root + "/repo")
        #expect(result.status == 2)
        #expect(result.stderr.contains("no database given"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/outside.db"))
        #expect(try cli.run(["check"], in: cli.root + "/repo").stderr.contains("no deploy.yml in this folder or above it"))
    }

    @Test(".env beside deploy.yml feeds ${VAR}; the environment wins; a bad .env line is located")
    func dotEnv() throws {
        let cli = CLI()
        cli.write("deploy.yml", "database:\n  path: ${DB_FILE}\n")
        cli.write(".env", "# local settings\nDB_FILE=from-env-file.db\n")
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        #expect(try cli.run("migrate").status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.root + "/from-env-file.db"))
        #expect(try cli.run(["migrate"], environment: ["DB_FILE": "from-environment.db"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.root + "/from-environment.db"))
        cli.write(".env", "DB_FILE=x.db\nnot a line\n")
        let bad = try cli.run("check")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(".env:2:1: error: expected NAME=value"), "\(bad.stderr)")
    }

    @Test("a migrations folder deploy.yml names but that does not exist is a spec error at database.migrations (exit 2)")
    func missingMigrationsFolder() throws {
        let cli = CLI()
        cli.write("deploy.yml", "database:\n  path: app.db\n  migrations: db/migrations\ntargets:\n  local:\n    path: .\nsteps:\n  - migrate\n")
        let migrate = try cli.run("migrate")
        #expect(migrate.status == 2)
        #expect(migrate.stderr.contains("deploy.yml:3:15: error: database.migrations: the folder 'db/migrations' does not exist"), "\(migrate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        let check = try cli.run("check")
        #expect(check.status == 2)
        #expect(check.stderr.contains("deploy.yml:3:15: error: target 'local' migrates, but its migrations folder 'db/migrations' does not exist"), "\(check.stderr)")
        let missing = try cli.run("check", "--config", "nope.yml")
        #expect(missing.stderr.contains("nope.yml: error: cannot read the deploy spec"), "no line:column for a missing file: \(missing.stderr)")
    }
}
