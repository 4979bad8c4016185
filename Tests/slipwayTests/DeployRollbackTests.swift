import Foundation
import Testing
import DeployCore
import SQLiteKit

/// `slipway rollback TARGET` on real components: a bare `origin`, the target's clone and a
/// developer's clone (GitRepos), the real migrate step on a real SQLite database in the
/// target's folder, and the real binary. pm2 cannot be installed here (no npm registry):
/// a stand-in first on PATH records its command lines, which is how the tests see the
/// stop and start steps run.
@Suite("rollback TARGET: code and database together")
struct DeployRollbackTests {
    static let spec = """
        app: demo
        database:
          path: app.db
          migrations: migrations
        targets:
          local:
            path: target
        steps:
          - pm2: stop app
          - git: pull
          - migrate
          - run: cat app.txt > ../built.txt
          - pm2: start app

        """

    /// The user tables' schema, for "back as it was" comparisons.
    static let schemaSQL = #"SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '\_%' ESCAPE '\' AND name NOT LIKE 'sqlite%' ORDER BY name"#

    final class Setup {
        let repos: GitRepos
        var env: [String: String]
        let initial: String
        var revision1 = ""
        var revision2 = ""
        var deploy1 = ""
        var deploy2 = ""

        init() throws {
            repos = try GitRepos()
            repos.cli.write("deploy.yml", DeployRollbackTests.spec)
            repos.cli.write("bin/pm2", "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/../pm2.log\"\n")
            chmod(repos.cli.root + "/bin/pm2", 0o755)
            env = repos.environment
            env["PATH"] = repos.cli.root + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            // Deploy preflight validates the migrations folder before the pull, so the target starts with one.
            try FileManager.default.createDirectory(atPath: repos.dev + "/migrations", withIntermediateDirectories: true)
            try repos.commit(in: repos.dev, "migrations/README", "SQL files\n", message: "migrations folder")
            try repos.git(["push", "--quiet", "origin", "main"], in: repos.dev)
            try repos.git(["pull", "--quiet", "--ff-only"], in: repos.target)
            initial = try repos.head(repos.target)
        }

        var database: String { repos.target + "/app.db" }

        func slipway(_ args: String...) throws -> CLI.Result { try repos.cli.run(args, environment: env) }

        /// Writes files in the developer's clone, commits them together and pushes.
        func push(_ files: [String: String], message: String) throws -> String {
            try FileManager.default.createDirectory(atPath: repos.dev + "/migrations", withIntermediateDirectories: true)
            for (name, text) in files { try text.write(toFile: repos.dev + "/" + name, atomically: true, encoding: .utf8) }
            try repos.git(["add"] + files.keys.sorted(), in: repos.dev)
            try repos.git(["commit", "--quiet", "-m", message], in: repos.dev)
            try repos.git(["push", "--quiet", "origin", "main"], in: repos.dev)
            return try repos.head(repos.dev)
        }

        func deploy() throws -> String {
            let result = try slipway("deploy", "local", "--json")
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            return try #require(result.jsonLines.last?["id"] as? String)
        }

        func query(_ sql: String) throws -> [[SQLiteValue]] { try Connection(path: database, mode: .readOnly).query(sql) }
        func execute(_ sql: String) throws { try Connection(path: database, mode: .readWrite).execute(sql) }
        func applied() throws -> [String] { try query("SELECT filename FROM _migrations ORDER BY filename").compactMap { $0[0].string } }
        func pm2Log() -> String { repos.read(repos.cli.root, "pm2.log") }
        func journalLines() -> Int { repos.journal().count }

        /// Deploy 1 applies 001_a (and writes a row the app keeps); deploy 2 pulls 002_b and a changed app.txt.
        /// Returns the user schema and rows of `a` as deploy 1 left them.
        func twoDeploys() throws -> (schema: [[SQLiteValue]], rows: [[SQLiteValue]]) {
            revision1 = try push(["migrations/001_a.sql": "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL);\n"], message: "A")
            deploy1 = try deploy()
            try execute("INSERT INTO a (v) VALUES ('kept')")
            let schema = try query(DeployRollbackTests.schemaSQL)
            let rows = try query("SELECT id, v FROM a")
            revision2 = try push([
                "migrations/002_b.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY, w TEXT);\nCREATE INDEX a_v ON a (v);\n",
                "app.txt": "v2\n",
            ], message: "B")
            deploy2 = try deploy()
            #expect(try repos.head(repos.target) == revision2)
            #expect(try applied() == ["001_a.sql", "002_b.sql"])
            #expect(repos.read(repos.cli.root, "built.txt") == "v2\n")
            return (schema, rows)
        }
    }

    @Test("rollback undoes the newest deploy: HEAD back to its revision before, only its migration undone, start step run, journaled; a second rollback does not undo it again")
    func rollsBackNewestDeploy() throws {
        let s = try Setup()
        let (schema, rows) = try s.twoDeploys()
        #expect(s.pm2Log() == "stop app\nstart app\nstop app\nstart app\n")

        // --to an older deploy is refused while a later one is in place, and says which.
        let older = try s.slipway("rollback", "local", "--to", s.deploy1)
        #expect(older.status == 1)
        #expect(older.stderr.contains("deploy \(s.deploy2) came after \(s.deploy1)"), "\(older.stderr)")
        #expect(try s.repos.head(s.repos.target) == s.revision2)

        let rollback = try s.slipway("rollback", "local", "--json")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(try s.repos.head(s.repos.target) == s.revision1)
        #expect(try s.repos.changes(s.repos.target) == "")
        #expect(s.repos.read(s.repos.target, "app.txt") == "v1\n")
        #expect(!FileManager.default.fileExists(atPath: s.repos.target + "/migrations/002_b.sql"))
        #expect(try s.applied() == ["001_a.sql"])
        #expect(try s.query(Self.schemaSQL) == schema)
        #expect(try s.query("SELECT id, v FROM a") == rows)
        // Stop before, build (the `run` after migrate, on the old code) and start after.
        #expect(s.pm2Log() == "stop app\nstart app\nstop app\nstart app\nstop app\nstart app\n")
        #expect(s.repos.read(s.repos.cli.root, "built.txt") == "v1\n")
        let summary = try #require(rollback.jsonLines.last)
        #expect(summary["event"] as? String == "summary")
        #expect(summary["rolls_back"] as? String == s.deploy2)
        #expect(summary["rolled_back"] as? [String] == ["002_b.sql"])
        #expect(summary["revision_before"] as? String == s.revision2)
        #expect(summary["revision_after"] as? String == s.revision1)
        let kinds = rollback.jsonLines.filter { $0["event"] as? String == "step" }.compactMap { $0["kind"] as? String }
        #expect(kinds == ["pm2", "rollback", "git", "run", "pm2"])
        #expect(!FileManager.default.fileExists(atPath: s.repos.target + "/.slipway/lock"))

        let history = try s.slipway("history", "local", "--json").jsonLines
        #expect(history.count == 3)
        #expect(history.map { $0["type"] as? String } == ["deploy", "deploy", "rollback"])
        let last = try #require(history.last)
        #expect(last["rolls_back"] as? String == s.deploy2)
        #expect(last["rolled_back"] as? [String] == ["002_b.sql"])
        #expect(last["result"] as? String == "succeeded")
        #expect(history[1]["rolled_back_by"] as? String == last["id"] as? String)
        #expect(history[0]["rolled_back_by"] == nil)
        #expect(history.map { $0["result"] as? String } == ["succeeded", "succeeded", "succeeded"])
        let table = try s.slipway("history", "local").stdout
        #expect(table.contains("undid \(s.deploy2) (1 migration)"), "\(table)")
        #expect(table.contains("succeeded, undone"), "\(table)")
        let undone = try s.slipway("history", "local", s.deploy2).stdout
        #expect(undone.contains("succeeded in "), "\(undone)")
        #expect(undone.contains(", rolled back by \(last["id"] as? String ?? "?")"), "\(undone)")
        let rollbackDetail = try s.slipway("history", "local", last["id"] as? String ?? "?").stdout
        #expect(rollbackDetail.contains("undoes       deploy \(s.deploy2)"), "\(rollbackDetail)")
        #expect(rollbackDetail.contains("rolled back  002_b.sql"), "\(rollbackDetail)")

        // A second rollback goes for deploy 1, not deploy 2 again; deploy 1's table holds a row the app wrote,
        // so it is refused and nothing changes.
        let second = try s.slipway("rollback", "local")
        #expect(second.status == 1)
        #expect(second.stdout.contains("DATA LOSS 001_a.sql: a:"), "\(second.stdout)")
        #expect(second.stdout.contains("deploy \(s.deploy1)"), "\(second.stdout)")
        #expect(!second.stdout.contains(s.deploy2), "\(second.stdout)")
        #expect(try s.repos.head(s.repos.target) == s.revision1)
        #expect(try s.applied() == ["001_a.sql"])
        // --to the rolled-back deploy says so.
        let again = try s.slipway("rollback", "local", "--to", s.deploy2)
        #expect(again.status == 1)
        #expect(again.stderr.contains("deploy \(s.deploy2) was already rolled back"), "\(again.stderr)")

        // The branch was reset, not detached: the next deploy fast-forwards and applies 002_b again.
        _ = try s.deploy()
        #expect(try s.repos.head(s.repos.target) == s.revision2)
        #expect(try s.applied() == ["001_a.sql", "002_b.sql"])
    }

    @Test("data loss is refused before anything changes (no stop step, same HEAD and database); --accept-data-loss goes through")
    func dataLoss() throws {
        let s = try Setup()
        _ = try s.twoDeploys()
        try s.execute("INSERT INTO b (w) VALUES ('written after deploy 2')")
        let log = s.pm2Log()
        let lines = s.journalLines()

        let refused = try s.slipway("rollback", "local")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("DATA LOSS 002_b.sql: b:"), "\(refused.stdout)")
        #expect(refused.stdout.contains("preflight data loss: FAILED"), "\(refused.stdout)")
        #expect(refused.stderr.contains("nothing was run or changed"), "\(refused.stderr)")
        #expect(try s.repos.head(s.repos.target) == s.revision2)
        #expect(try s.applied() == ["001_a.sql", "002_b.sql"])
        #expect(try s.query("SELECT w FROM b") == [[.text("written after deploy 2")]])
        #expect(s.pm2Log() == log)
        #expect(s.journalLines() == lines)
        #expect(!FileManager.default.fileExists(atPath: s.repos.target + "/.slipway/lock"))

        let accepted = try s.slipway("rollback", "local", "--accept-data-loss")
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(try s.repos.head(s.repos.target) == s.revision1)
        #expect(try s.applied() == ["001_a.sql"])
        #expect(try s.query("SELECT name FROM sqlite_master WHERE name = 'b'") == [])
        #expect(accepted.stdout.contains("Rollback "), "\(accepted.stdout)")
        #expect(accepted.stdout.contains("1 migration rolled back"), "\(accepted.stdout)")
    }

    @Test("--dry-run prints stop steps, the git reset, the reverse SQL and start steps, and changes nothing")
    func dryRun() throws {
        let s = try Setup()
        _ = try s.twoDeploys()
        let log = s.pm2Log()
        let journal = s.repos.read(s.repos.target, ".slipway/journal.jsonl")
        let dbBytes = try Data(contentsOf: URL(fileURLWithPath: s.database))

        let dry = try s.slipway("rollback", "local", "--dry-run")
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        let out = dry.stdout
        #expect(out.contains("undoes deploy \(s.deploy2)"), "\(out)")
        let stop = try #require(out.range(of: "$ cd 'target' && 'pm2' 'stop' 'app'"))
        let undo = try #require(out.range(of: "'rollback' '--json' '--db' 'app.db' '--dir' 'migrations' '--migration' '002_b.sql'"))
        let reset = try #require(out.range(of: "'git' 'reset' '--hard' '\(s.revision1)'"))
        let start = try #require(out.range(of: "'pm2' 'start' 'app'"))
        #expect(stop.lowerBound < undo.lowerBound && undo.lowerBound < reset.lowerBound && reset.lowerBound < start.lowerBound)
        #expect(out.contains("DROP TABLE"), "\(out)")
        #expect(out.contains("Dry run: nothing was run or changed."))

        #expect(try s.repos.head(s.repos.target) == s.revision2)
        #expect(try s.applied() == ["001_a.sql", "002_b.sql"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.database)) == dbBytes)
        #expect(s.pm2Log() == log)
        #expect(s.repos.read(s.repos.target, ".slipway/journal.jsonl") == journal)
        #expect(!FileManager.default.fileExists(atPath: s.repos.target + "/.slipway/lock"))
    }

    @Test("a lock held by another deploy refuses the rollback, says who holds it, and changes nothing")
    func lockHeld() throws {
        let s = try Setup()
        _ = try s.twoDeploys()
        let log = s.pm2Log()
        let holder = DeployLock.Holder(
            identity: Identity(user: "other", host: "elsewhere", pid: getpid(), command: "slipway deploy local"),
            deploy: "20990101T000000Z-beef", since: 0)
        let lock = try DeployLock.acquire(folder: s.repos.target + "/.slipway", holder: holder)
        defer { lock.release() }

        let refused = try s.slipway("rollback", "local")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("locked by another deploy"), "\(refused.stderr)")
        #expect(refused.stderr.contains("other@elsewhere"), "\(refused.stderr)")
        #expect(try s.repos.head(s.repos.target) == s.revision2)
        #expect(try s.applied() == ["001_a.sql", "002_b.sql"])
        #expect(s.pm2Log() == log)
        #expect(FileManager.default.fileExists(atPath: s.repos.target + "/.slipway/lock"), "the other deploy's lock stays")
    }
}
