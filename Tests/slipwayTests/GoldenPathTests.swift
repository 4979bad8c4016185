import Foundation
import SQLiteKit
import Testing
import TestSupport

/// The README's golden path on a fresh clone of this repository: `scripts/demo` twice (with
/// `SLIPWAY_BIN` set to the test's build, so it builds nothing), `slipway rollback local`,
/// `slipway deploy local` again; `history local` shows every run and the database passes
/// `integrity_check` after each.
@Suite("the bundled example survives its own README")
struct GoldenPathTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A fresh clone of this repository under `cli`'s folder, as a new user gets it.
    static func clone(into cli: CLI) throws -> String {
        let clone = cli.root + "/clone"
        let git = try Spawned.run(["git", "clone", "--quiet", repository, clone], environment: Spawned.environment([:]))
        #expect(git.status == 0, "\(git.output)")
        return clone
    }

    @Test("deploy, deploy again (nothing applied), rollback (app stopped and started, database back), deploy again; history shows all")
    func goldenPath() throws {
        let cli = CLI()
        let clone = try Self.clone(into: cli)
        defer { _ = try? Spawned.run([clone + "/scripts/example-app", "stop"], directory: clone, environment: Spawned.environment([:])) }
        func slipway(_ args: String...) throws -> CLI.Result { try cli.run(args + ["--config", clone + "/deploy.yml"]) }
        func integrity() throws -> String? {
            try Connection(path: clone + "/monitor.db", mode: .readOnly).query("PRAGMA integrity_check").first?[0].string
        }
        func userTables() throws -> Int64 {
            try Connection(path: clone + "/monitor.db", mode: .readOnly)
                .query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")
                .first?[0].int ?? -1
        }

        func demo() throws -> (status: Int32, output: String) {
            try Spawned.run([clone + "/scripts/demo"], directory: clone, environment: Spawned.environment(["SLIPWAY_BIN": CLI.binary]))
        }
        let first = try demo()
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains(", 7 migrations applied)"), "\(first.output)")
        #expect(first.output.contains("example app started"))
        #expect(first.output.contains("Try next (slipway here is \(CLI.binary)):") && first.output.contains("slipway rollback local --dry-run"))
        #expect(try integrity() == "ok")
        let tables = try userTables()
        #expect(tables > 0)

        let second = try demo()
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains(", 0 migrations applied)"), "\(second.output)")
        #expect(try integrity() == "ok")

        let dry = try slipway("rollback", "local", "--dry-run")
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("007_compact.sql (nothing to undo)"), "\(dry.stdout)")
        let rollback = try slipway("rollback", "local")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("example app stopped") && rollback.stdout.contains("example app started"), "\(rollback.stdout)")
        #expect(rollback.stdout.contains("7 migrations rolled back"), "\(rollback.stdout)")
        #expect(try userTables() == 0, "the database is back to before the first deploy")
        #expect(try integrity() == "ok")

        let again = try slipway("deploy", "local")
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains(", 7 migrations applied)"), "\(again.stdout)")
        #expect(try userTables() == tables)
        #expect(try integrity() == "ok")

        let history = try slipway("history", "local", "--json")
        #expect(history.status == 0, "\(history.stderr)")
        let rows = history.jsonLines.filter { $0["event"] as? String == "deploy" }
        #expect(rows.map { $0["type"] as? String } == ["deploy", "deploy", "rollback", "deploy"], "\(history.stdout)")
        #expect(first.output.contains(rows[0]["id"] as? String ?? "?"), "the demo ends with history local")
        #expect(rows.map { $0["result"] as? String } == ["succeeded", "succeeded", "succeeded", "succeeded"])
        #expect(rows.first?["rolled_back_by"] as? String == rows[2]["id"] as? String)
    }
}

extension GoldenPathTests {
    @Test("scripts/demo --remote deploys the example over SSH to its own sshd, shows history staging, and stops that sshd")
    func remoteDemo() throws {
        let cli = CLI()
        let clone = try Self.clone(into: cli)
        let run = try Spawned.run([clone + "/scripts/demo", "--remote"], directory: clone,
                                  environment: Spawned.environment(["SLIPWAY_BIN": CLI.binary]))
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("succeeded in") && run.output.contains("(7 migrations applied)"), "\(run.output)")
        #expect(run.output.contains("example app started"), "\(run.output)")
        // sshd is stopped by the PID the demo printed when it started it.
        let started = run.output.split(separator: "\n").first { $0.hasPrefix("demo --remote: sshd (pid ") }
        let pid = started.flatMap { Int32($0.split(separator: " ")[4].dropLast()) }
        #expect(pid != nil, "\(run.output)")
        if let pid { #expect(kill(pid, 0) != 0, "sshd \(pid) still runs after the demo") }
    }
}

@Suite("deploy --dry-run of a remote target")
struct RemoteDryRunTests {
    @Test("the plan names every host and the exact command each runs there: the remote slipway, quoted paths, secrets masked; nothing connects")
    func plan() throws {
        let cli = CLI()
        cli.write("deploy.yml", """
            database:
              path: monitor.db
            targets:
              production:
                hosts: [root@10.0.0.1, "deploy@[::1]:2222"]
                path: /var/www/it's here
            steps:
              - git: pull
              - migrate
              - run: npm run build
                env:
                  TOKEN: ${TOKEN}

            """)
        let dry = try cli.run(["deploy", "production", "--dry-run"], environment: ["TOKEN": "s3cret-value"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("on 2 hosts over SSH: root@10.0.0.1:22, deploy@[::1]:2222"), "\(dry.stdout)")
        #expect(dry.stdout.contains(#"$ cd '/var/www/it'\''s here' && "$HOME"/'.cache/slipway/"#), "\(dry.stdout)")
        #expect(dry.stdout.contains(#"/slipway' 'migrate' '--json' '--db' 'monitor.db'"#))
        #expect(!dry.stdout.contains(CLI.binary), "the local build's path is not what runs on the hosts")
        #expect(dry.stdout.contains("TOKEN='***'") && !dry.stdout.contains("s3cret-value"))
    }
}
