import Foundation
import Testing
import DeployCore

/// `slipway check`, `deploy` and `history` as processes, on real folders, git
/// repositories and the real migrate step.
@Suite("deploy, check, history: the real binary")
struct DeployCommandTests {
    func project(_ steps: String) -> CLI {
        let cli = CLI()
        cli.migration("001_init.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n")
        cli.write("deploy.yml", "app: demo\ndatabase:\n  path: app.db\ntargets:\n  local:\n    path: .\nsteps:\n" + steps)
        return cli
    }

    @Test("deploy runs the steps, applies migrations, journals; history shows it; a second deploy applies nothing")
    func deployAndHistory() throws {
        let cli = project("  - migrate\n  - run: echo built with ${TOKEN}\n")
        let env = ["TOKEN": "tok-secret-1"]
        let first = try cli.run(["deploy", "local"], environment: env)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("APPLY   001_init.sql"))
        #expect(first.stdout.contains("built with ***"))
        #expect(!first.stdout.contains("tok-secret-1"))
        #expect(try cli.query("SELECT filename FROM _migrations").count == 1)
        let second = try cli.run(["deploy", "local", "--json"], environment: env)
        #expect(second.status == 0)
        #expect(second.jsonLines.last?["event"] as? String == "summary")
        #expect((second.jsonLines.last?["migrations"] as? [String]) == [])
        let history = try cli.run(["history", "local", "--json"], environment: env)
        let deploys = history.jsonLines
        #expect(deploys.count == 2)
        #expect(deploys.map { $0["result"] as? String } == ["succeeded", "succeeded"])
        #expect((deploys[0]["migrations"] as? [String]) == ["001_init.sql"])
        let journal = try String(contentsOfFile: cli.root + "/.slipway/journal.jsonl", encoding: .utf8)
        #expect(!journal.contains("tok-secret-1"))
        let table = try cli.run(["history", "local"], environment: env).stdout
        #expect(table.contains("succeeded  ") && table.hasSuffix("  001_init.sql\n"), "the oldest row, last: \(table)")
        #expect(table.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(table)")
        let started = try #require(deploys[0]["started_at"] as? String)
        #expect(started.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "RFC 3339 UTC: \(started)")
    }

    @Test("deploy --json names a migration with `file`, the key migrate --json uses")
    func migrationFileKey() throws {
        let cli = project("  - migrate\n")
        let deploy = try cli.run("deploy", "local", "--json")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        let applied = deploy.jsonLines.filter { $0["event"] as? String == "migration" && $0["file"] != nil }
        #expect(applied.map { $0["file"] as? String } == ["001_init.sql"], "\(deploy.stdout)")
        #expect(deploy.jsonLines.allSatisfy { $0["filename"] == nil })
    }

    @Test("spec errors exit 2 with file:line:column and run nothing; check accepts a good spec")
    func specErrors() throws {
        let cli = project("  - migrat\n")
        let bad = try cli.run("deploy", "local")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("deploy.yml:8:5: error: unknown step kind 'migrat' (did you mean 'migrate'?)"))
        #expect(try cli.run("check").status == 2)
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/.slipway"))
        cli.write("deploy.yml", "targets:\n  local:\n    path: .\nsteps:\n  - run: true\n")
        #expect(try cli.run("check").stdout.contains("ok: 1 target"))
        #expect(try cli.run("deploy", "nowhere").status == 2)
    }

    @Test("dry-run prints the quoted plan and creates nothing")
    func dryRun() throws {
        let cli = project("  - migrate\n  - run: echo 'a b'\n")
        let result = try cli.run("deploy", "local", "--dry-run")
        #expect(result.status == 0)
        #expect(result.stdout.contains(#"'/bin/sh' '-c' 'echo '\''a b'\'''"#))
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/.slipway"))
    }

    @Test("a failing step stops the pipeline, exits 1 and says the app is stopped and how to start it")
    func failure() throws {
        // pm2 cannot be installed here (no npm registry): a stand-in on PATH records its command lines.
        let cli = project("  - pm2: stop app\n  - run: echo broken; exit 3\n  - pm2: start app\n")
        cli.write("bin/pm2", "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/../pm2.log\"\n")
        chmod(cli.root + "/bin/pm2", 0o755)
        let path = cli.root + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try cli.run(["deploy", "local"], environment: ["PATH": path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("The app is STOPPED"))
        #expect(result.stdout.contains("'pm2' 'start' 'app'"))
        #expect(try String(contentsOfFile: cli.root + "/pm2.log", encoding: .utf8) == "stop app\n")
        let ok = project("  - pm2: restart app\n  - pm2: reload app\n")
        ok.write("bin/pm2", "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/../pm2.log\"\n")
        chmod(ok.root + "/bin/pm2", 0o755)
        #expect(try ok.run(["deploy", "local"], environment: ["PATH": ok.root + "/bin:/usr/bin:/bin"]).status == 0)
        #expect(try String(contentsOfFile: ok.root + "/pm2.log", encoding: .utf8) == "restart app\nreload app\n")
        // Without it on PATH, preflight refuses before the first step.
        let missing = try ok.run(["deploy", "local"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("preflight pm2: FAILED"))
    }

    @Test("a second deploy is refused by the lock and told who holds it; the lock is released after")
    func lock() throws {
        let cli = project("  - run: echo READY-$((1+1)); cat fifo\n")
        #expect(mkfifo(cli.root + "/fifo", 0o644) == 0)
        let first = try cli.startAndWait(for: ["READY-2"], ["deploy", "local"])
        let second = try cli.run("deploy", "local")
        #expect(second.status == 1)
        #expect(second.stderr.contains("locked by another deploy"))
        #expect(second.stderr.contains("pid \(first.process.processIdentifier)"))
        #expect(second.stderr.contains("slipway deploy local"))
        FileHandle(forWritingAtPath: cli.root + "/fifo")!.closeFile()  // the step's `cat` ends
        first.process.waitUntilExit()
        #expect(first.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/.slipway/lock"))
    }

    @Test("Ctrl-C during a step: the step is stopped, the lock released, the journal says interrupted, exit 130")
    func interrupted() throws {
        let cli = project("  - run: echo READY-$((1+1)); cat fifo\n  - run: echo NEXT-$((2+2))\n")
        #expect(mkfifo(cli.root + "/fifo", 0o644) == 0)
        let first = try cli.startAndWait(for: ["READY-2"], ["deploy", "local"])
        kill(first.process.processIdentifier, SIGINT)
        let rest = String(decoding: first.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        first.process.waitUntilExit()
        #expect(first.process.terminationStatus == 130)
        #expect(!rest.contains("NEXT-4"), "the step after the interrupted one must not run")
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/.slipway/lock"))
        let history = try cli.run("history", "local", "--json").jsonLines
        #expect(history.first?["result"] as? String == "interrupted", "\(history)")
        // The lock is free: the next deploy (of a pipeline that does not block) runs.
        cli.write("deploy.yml", "app: demo\ndatabase:\n  path: app.db\ntargets:\n  local:\n    path: .\nsteps:\n  - run: echo again\n")
        let next = try cli.run("deploy", "local")
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
    }

    @Test("a deploy killed with SIGKILL half-way: its agent stops the running step, journals the deploy interrupted and leaves a stale lock that is reported")
    func killed() throws {
        let cli = project("  - migrate\n  - run: echo READY-$((1+1)); if [ -e block ]; then cat fifo.killed; fi\n  - run: echo after\n")
        cli.write("block", "")
        #expect(mkfifo(cli.root + "/fifo.killed", 0o644) == 0)
        let first = try cli.startAndWait(for: ["READY-2"], ["deploy", "local"])
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        // The agent holding the lock sees its stdin close: it stops the step (nobody ever writes the
        // fifo), journals the deploy as cut off and ends.
        #expect(waitForAgents(in: cli.root), "slipway's agent outlived the deploy it served")
        #expect(!processRuns(["cat", "fifo.killed"]), "the step outlived the deploy")
        let refused = try cli.run("deploy", "local")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("stale deploy lock"))
        #expect(refused.stderr.contains("pid \(first.process.processIdentifier)"))
        let history = try cli.run("history", "local", "--json").jsonLines
        #expect(history.count == 1)
        #expect(history.first?["result"] as? String == "interrupted", "never 'running' or 'succeeded'")
        #expect((history.first?["migrations"] as? [String]) == ["001_init.sql"])
        try FileManager.default.removeItem(atPath: cli.root + "/block")
        let forced = try cli.run("deploy", "local", "--force-unlock")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try cli.run("history", "local", "--json").jsonLines.map { $0["result"] as? String } == ["interrupted", "succeeded"])
    }
}

/// Waits (a bounded poll for a condition, at most 10 s) until no `slipway agent` process runs in `folder`.
func waitForAgents(in folder: String) -> Bool {
    let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
    func running() -> Bool {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
        return pids.contains { pid in
            guard let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else { return false }
            let words = cmd.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains("agent") && (words.contains("lock") || words.contains("exec")) && (cwd == real || cwd == folder)
        }
    }
    for _ in 0..<1000 {
        if !running() { return true }
        usleep(10_000)
    }
    return false
}
