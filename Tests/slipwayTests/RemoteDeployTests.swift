import Foundation
import SQLiteKit
import Testing
import TestSupport

/// `deploy`, `history`, `rollback` and `rehearse` of remote targets, over SSH to real
/// OpenSSH servers on loopback (`Sshd`, started and stopped by PID by the test). With CI
/// set, or anywhere, a test whose sshd cannot start fails; none is skipped.
@Suite("deploy over SSH to real sshd hosts", .serialized)
struct RemoteDeployTests {
    static let pipeline = "  - git: pull\n  - migrate\n  - run: cat app.txt\n"

    /// A project whose origin has a migration pushed, and a spec with `steps`.
    func project(steps: String = pipeline, folderName: String? = nil) throws -> RemoteProject {
        let p = try RemoteProject(folderName: folderName)
        try p.repos.push("migrations/001_init.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n", message: "init")
        try p.repos.push("app.txt", "v2\n", message: "v2")
        p.writeSpec(steps: steps)
        return p
    }

    func tables(_ db: String) throws -> [String] {
        let c = try Connection(path: db, mode: .readOnly)
        return try c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name").map { $0[0].string ?? "" }
    }

    @Test("a full deploy over one connection: pull into the host's clone, migrate its database, run; journal and history on the host")
    func fullDeploy() throws {
        let p = try project()
        let pushed = try p.repos.head(p.repos.dev)
        let deploy = try p.slipway("deploy", "staging")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(try p.repos.head(p.path) == pushed)
        #expect(try tables(p.path + "/app.db").contains("notes"))
        #expect(deploy.stdout.contains("\(p.sshd.endpointText) │     │ v2"), "output is live and prefixed by host:\n\(deploy.stdout)")
        #expect(deploy.stdout.contains("APPLY   001_init.sql"))
        #expect(p.sshd.connections == 1, "one connection for every step, the lock and the journal")
        let finish = try #require(p.journal().last)
        #expect(finish["result"] as? String == "succeeded")
        #expect(finish["migrations"] as? [String] == ["001_init.sql"])
        #expect(!FileManager.default.fileExists(atPath: p.path + "/.slipway/lock"), "the lock is released")

        let history = try p.slipway("history", "staging", "--json")
        #expect(history.status == 0, "\(history.stderr)")
        let rows = history.jsonLines.filter { $0["event"] as? String == "deploy" }
        #expect(rows.map { $0["result"] as? String } == ["succeeded"])
        #expect(rows.first?["server"] as? String == p.sshd.endpointText)
        #expect(p.sshd.connections == 2)
    }

    @Test("an unknown host is refused with the line that trusts it, nothing runs; --accept-new-host-key appends it and deploys")
    func unknownHost() throws {
        let p = try project()
        p.cli.write("known_hosts", "")
        let before = try p.repos.head(p.path)
        let refused = try p.slipway("deploy", "staging")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("ssh-keyscan"), "\(refused.stdout)")
        #expect(refused.stdout.contains(p.sshd.knownHostsLine.split(separator: " ").prefix(3).joined(separator: " ")), "\(refused.stdout)")
        #expect(try p.repos.head(p.path) == before)
        #expect(!FileManager.default.fileExists(atPath: p.path + "/.slipway"))

        let accepted = try p.slipway("deploy", "staging", "--accept-new-host-key")
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(p.cli.read("known_hosts").contains(p.sshd.hostKey.split(separator: " ").prefix(2).joined(separator: " ")))
        #expect(try p.slipway("deploy", "staging").status == 0, "trusted from now on")
    }

    @Test("a changed host key is refused with the stored line's file:line and the offered fingerprint, even with --accept-new-host-key")
    func wrongHostKey() throws {
        let p = try project()
        let other = p.cli.root + "/other_host_key"
        let otherKey = try SSHKeys.generate(other, comment: "impostor")
        let hostPort = "[\(p.sshd.address)]:\(p.sshd.port)"
        p.cli.write("known_hosts", "# first line\n\(hostPort) \(otherKey.split(separator: " ").prefix(2).joined(separator: " "))\n")
        let fingerprint = try SSHKeys.fingerprint(p.sshd.hostPublicKeyFile)
        for flags in [[], ["--accept-new-host-key"]] {
            let refused = try p.cli.run(["deploy", "staging"] + flags, environment: p.repos.environment)
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("known_hosts:2"), "\(refused.stdout)")
            #expect(refused.stdout.contains(fingerprint), "\(refused.stdout)")
            #expect(!FileManager.default.fileExists(atPath: p.path + "/.slipway"), "nothing ran")
        }
    }

    @Test("a hashed known_hosts entry (Debian's HashKnownHosts) is accepted")
    func hashedKnownHosts() throws {
        let p = try project()
        let hashed = try Spawned.run(["ssh-keygen", "-H", "-f", p.knownHosts], environment: Spawned.environment([:]))
        #expect(hashed.status == 0, "\(hashed.output)")
        #expect(p.cli.read("known_hosts").hasPrefix("|1|"))
        let deploy = try p.slipway("deploy", "staging")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
    }

    @Test("a key the host does not authorize is refused naming user, host and the methods; nothing runs")
    func badKey() throws {
        let p = try project()
        let stranger = p.cli.root + "/stranger"
        _ = try SSHKeys.generate(stranger)
        p.writeSpec(steps: Self.pipeline)
        p.cli.write("deploy.yml", p.cli.read("deploy.yml").replacingOccurrences(of: "key: \(p.key)", with: "key: \(stranger)"))
        let refused = try p.slipway("deploy", "staging")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains(p.sshd.endpointText), "\(refused.stdout)")
        #expect(refused.stdout.contains("publickey"), "\(refused.stdout)")
        #expect(!FileManager.default.fileExists(atPath: p.path + "/.slipway"))
    }

    @Test("a target path full of shell metacharacters is one literal folder on the host")
    func metacharacters() throws {
        let p = try project(folderName: "it's a $(touch PWNED) `touch PWNED2`; dir \"x\"")
        let deploy = try p.slipway("deploy", "staging")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(try tables(p.path + "/app.db").contains("notes"))
        for name in ["PWNED", "PWNED2"] {
            #expect(!FileManager.default.fileExists(atPath: p.cli.root + "/" + name))
            #expect(!FileManager.default.fileExists(atPath: p.path + "/" + name))
            #expect(!FileManager.default.fileExists(atPath: "/root/" + name))
        }
    }

    @Test("a migration that fails on the host fails the deploy at migrate, leaves its database as it was, and is journaled there")
    func remoteMigrationFailure() throws {
        let p = try project()
        try p.repos.push("migrations/002_bad.sql", "INSERT INTO notes (body) VALUES ('x');\nSELECT no_such_column FROM notes;\n", message: "bad")
        let deploy = try p.slipway("deploy", "staging")
        #expect(deploy.status == 1)
        #expect(deploy.stdout.contains("FAILED  migrations/002_bad.sql:2: no such column"), "\(deploy.stdout)")
        #expect(deploy.stdout.contains("2  migrate      failed"), "\(deploy.stdout)")
        let c = try Connection(path: p.path + "/app.db", mode: .readOnly)
        #expect(try c.query("SELECT count(*) FROM notes").first?[0].int == 0, "the failed migration was rolled back")
        #expect(p.journal().last?["result"] as? String == "failed")
    }

    @Test("step env: values reach the remote command and appear in no output, journal or file slipway keeps on the host")
    func secrets() throws {
        let p = try project(steps: "  - run: echo \"token=$TOKEN\" > token.txt; echo \"said $TOKEN\"\n    env:\n      TOKEN: ${DEPLOY_TOKEN}\n")
        let secret = "s3cret-\(UUID().uuidString.prefix(6))"
        let deploy = try p.cli.run(["deploy", "staging"], environment: p.repos.environment.merging(["DEPLOY_TOKEN": secret]) { $1 })
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect((try? String(contentsOfFile: p.path + "/token.txt", encoding: .utf8)) == "token=\(secret)\n")
        #expect(!deploy.stdout.contains(secret) && deploy.stdout.contains("said ***"), "\(deploy.stdout)")
        let kept = (try? FileManager.default.subpathsOfDirectory(atPath: p.path + "/.slipway")) ?? []
        for file in kept {
            let text = (try? String(contentsOfFile: p.path + "/.slipway/" + file, encoding: .utf8)) ?? ""
            #expect(!text.contains(secret), "\(file) holds the secret")
        }
    }
}

extension RemoteDeployTests {
    @Test("the SSH connection killed mid-step: the step fails naming host, step and command; the host's agent journals the deploy interrupted, stops the step and leaves a stale lock")
    func connectionKilled() throws {
        let p = try project(steps: "  - git: pull\n  - run: echo READY-$((40+2)); sleep 29.123\n    name: long step\n  - run: echo never\n")
        let (process, stdout, _) = try p.cli.startAndWait(for: ["READY-42"], ["deploy", "staging"], environment: p.repos.environment)
        #expect(killSSHDOnly(p.sshd) > 0)
        let rest = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(rest.contains("long step"), "\(rest)")
        #expect(rest.contains("lost") && rest.contains(p.sshd.endpointText), "\(rest)")
        #expect(rest.contains("sleep 29.123"), "the command is named:\n\(rest)")
        #expect(!rest.contains("│     │ never"))
        #expect(waitForAgents(in: p.path), "the agent on the host outlived its connection")
        #expect(!processRuns(["sleep", "29.123"]), "the step's process outlived its connection")
        let journal = p.journal()
        #expect(journal.last?["result"] as? String == "interrupted", "\(journal)")
        let again = try p.slipway("deploy", "staging")
        #expect(again.status == 1)
        #expect(again.stdout.contains("stale deploy lock"), "\(again.stdout)")
        p.writeSpec(steps: Self.pipeline)
        let forced = try p.slipway("deploy", "staging", "--force-unlock")
        #expect(forced.status == 0, "\(forced.stdout)")
    }

    @Test("rehearse_on: a failure on staging leaves production untouched and says so; once staging passes, both are deployed")
    func stagingGate() throws {
        let p = try project()
        let production = p.cli.root + "/production"
        try p.repos.git(["clone", "--quiet", p.repos.origin, production], in: p.cli.root)
        let before = try p.repos.head(production)
        let host = "\(p.sshd.user)@\(p.sshd.address):\(p.sshd.port)"
        p.cli.write("deploy.yml", """
            app: demo
            database:
              path: app.db
              migrations: migrations
            targets:
              staging:
                host: \(host)
                key: \(p.key)
                known_hosts: known_hosts
                path: \(p.path)
              production:
                host: \(host)
                key: \(p.key)
                known_hosts: known_hosts
                path: \(production)
                rehearse_on: staging
            steps:
              - git: pull
              - migrate
              - run: test ! -e fail-here
                name: smoke test

            """)
        p.cli.write("target/fail-here", "")
        let refused = try p.slipway("deploy", "production")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the rehearsal on staging failed: production was not touched"), "\(refused.stderr)")
        #expect(try p.repos.head(production) == before)
        #expect(!FileManager.default.fileExists(atPath: production + "/.slipway"))
        #expect(!FileManager.default.fileExists(atPath: production + "/app.db"))

        try FileManager.default.removeItem(atPath: p.path + "/fail-here")
        let deployed = try p.slipway("deploy", "production")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let pushed = try p.repos.head(p.repos.dev)
        #expect(try p.repos.head(production) == pushed)
        #expect(try tables(production + "/app.db").contains("notes"))
    }

    @Test("history and rollback from a second checkout: the journal lives on the host; code and database go back together")
    func rollbackFromElsewhere() throws {
        let p = try project()
        let before = try p.repos.head(p.path)
        #expect(try p.slipway("deploy", "staging").status == 0)
        let second = CLI()
        second.write("deploy.yml", p.cli.read("deploy.yml"))
        second.write("known_hosts", p.cli.read("known_hosts"))
        let env = ["HOME": second.root]
        let history = try second.run(["history", "staging"], environment: env)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("succeeded") && history.stdout.contains("  1 migration"), "\(history.stdout)")
        let id = try #require(try second.run(["history", "staging", "--json"], environment: env).jsonLines.first?["id"] as? String)
        let detail = try second.run(["history", "staging", id], environment: env)
        #expect(detail.stdout.contains("  migrations  001_init.sql"), "the full list, read on the host: \(detail.stdout)\(detail.stderr)")

        let dry = try second.run(["rollback", "staging", "--dry-run"], environment: env)
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("DROP TABLE"), "\(dry.stdout)")
        #expect(try tables(p.path + "/app.db").contains("notes"), "a dry run changes nothing")

        let rollback = try second.run(["rollback", "staging"], environment: env)
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(try p.repos.head(p.path) == before)
        #expect(!(try tables(p.path + "/app.db").contains("notes")))
        let rows = try p.slipway("history", "staging", "--json").jsonLines.filter { $0["event"] as? String == "deploy" }
        #expect(rows.map { $0["type"] as? String } == ["deploy", "rollback"])
    }

    @Test("a host whose PATH has no slipway and no Swift gets slipway's binary uploaded, checked by its SHA-256, and runs it")
    func upload() throws {
        let p = try project(steps: "  - git: pull\n  - run: command -v slipway || echo NO-SLIPWAY-ON-PATH; command -v swift || echo NO-SWIFT-ON-PATH\n  - migrate\n")
        let cache = NSHomeDirectory() + "/.cache/slipway"  // the host's user is this test's user
        try? FileManager.default.removeItem(atPath: cache)
        let first = try p.slipway("deploy", "staging")
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("preflight slipway: ok — uploaded to ~/.cache/slipway/"), "\(first.stdout)")
        #expect(first.stdout.contains("NO-SLIPWAY-ON-PATH") && first.stdout.contains("NO-SWIFT-ON-PATH"), "\(first.stdout)")
        #expect(first.stdout.contains("APPLY   001_init.sql"))
        let uploaded = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(uploaded.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/" + uploaded[0]) == ["slipway"], "no partial upload left")
        let second = try p.slipway("deploy", "staging")
        #expect(second.status == 0 && !second.stdout.contains("preflight slipway"), "found in place: no upload, no check of its own\n\(second.stdout)")
    }

    @Test("rehearse TARGET runs on the host, on a copy of its database, which stays as it was")
    func rehearseRemote() throws {
        let p = try project()
        #expect(try p.slipway("deploy", "staging").status == 0)
        p.cli.write("target/migrations/002_more.sql", "ALTER TABLE notes ADD COLUMN title TEXT;\n")
        let rehearsal = try p.slipway("rehearse", "staging")
        #expect(rehearsal.status == 0, "\(rehearsal.stdout)\(rehearsal.stderr)")
        #expect(rehearsal.stdout.contains("Rehearsal clean"), "\(rehearsal.stdout)")
        let c = try Connection(path: p.path + "/app.db", mode: .readOnly)
        #expect(try c.query("SELECT count(*) FROM _migrations").first?[0].int == 1, "nothing applied to the real database")
    }
}

/// SIGKILL for the per-connection sshd processes only: the commands they started stay, and
/// see their stdin close, as when a network drops a connection.
func killSSHDOnly(_ sshd: Sshd) -> Int {
    let daemons = ProcTable.descendants(of: sshd.pid).filter {
        (try? String(contentsOfFile: "/proc/\($0.pid)/comm", encoding: .utf8))?.hasPrefix("sshd") == true
    }
    ProcTable.kill(daemons)
    return daemons.count
}

/// Whether a process with exactly these arguments runs.
func processRuns(_ argv: [String]) -> Bool {
    let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
    return pids.contains { pid in
        guard let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let words = cmd.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard words == argv else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }
}

/// Several hosts: one sshd per loopback address (127.0.0.2, 127.0.0.3, …) on one port, each in
/// its own mount namespace where its own clone of origin sits at the same target path.
@Suite("deploy to a fleet of real sshd hosts", .serialized)
struct FleetDeployTests {
    func fleet(_ count: Int, steps: String, parallel: Int? = nil) throws -> RemoteProject {
        let p = try RemoteProject(hosts: count)
        try p.repos.push("migrations/001_init.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n", message: "init")
        p.writeSpec(steps: steps, target: parallel.map { ["parallel: \($0)"] } ?? [])
        return p
    }

    @Test("three hosts deploy in parallel (a barrier only all three together pass), each its own clone and database, one connection each")
    func parallel() throws {
        let barrier = NSTemporaryDirectory() + "slipway-barrier-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: barrier, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: barrier) }
        // Each host checks in under its own address, then waits (bounded: 30 s) for the other two.
        let wait = "touch \(barrier)/$(echo $SSH_CONNECTION | cut -d' ' -f3); n=0; while [ $(ls \(barrier) | wc -l) -lt 3 ]; do n=$((n+1)); [ $n -gt 600 ] && exit 7; sleep 0.05; done; echo all three"
        let p = try fleet(3, steps: "  - git: pull\n  - migrate\n  - run: \(wait)\n    name: barrier\n")
        let pushed = try p.repos.head(p.repos.dev)
        let deploy = try p.slipway("deploy", "staging")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        for (i, host) in p.hosts.enumerated() {
            #expect(deploy.stdout.contains("\(host.endpointText) │     │ all three"), "\(deploy.stdout)")
            #expect(try p.repos.head(p.hostDirs[i]) == pushed, "host \(i + 1) pulled into its own clone")
            #expect(FileManager.default.fileExists(atPath: p.hostDirs[i] + "/app.db"))
            #expect(p.journal(host: i).last?["result"] as? String == "succeeded")
            #expect(host.connections == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: p.path + "/app.db"), "nothing on the real path: each host wrote under its namespace")
        #expect(deploy.stdout.contains("staging: 3 of 3 hosts done"))
        let history = try p.slipway("history", "staging")
        for host in p.hosts { #expect(history.stdout.contains(host.endpointText)) }
    }

    @Test("one at a time, a failing host stops the fleet: the hosts after it are untouched, and the table says so")
    func failingHost() throws {
        let p = try fleet(3, steps: "  - git: pull\n  - migrate\n  - run: test ! -e fail-here\n    name: smoke test\n", parallel: 1)
        try "".write(toFile: p.hostDirs[1] + "/fail-here", atomically: true, encoding: .utf8)
        let third = try p.repos.head(p.hostDirs[2])
        let deploy = try p.slipway("deploy", "staging")
        #expect(deploy.status == 1)
        let table = deploy.stdout.split(separator: "\n").map(String.init)
        #expect(table.contains { $0.hasPrefix(p.hosts[0].endpointText) && $0.hasSuffix("done") }, "\(deploy.stdout)")
        #expect(table.contains { $0.hasPrefix(p.hosts[1].endpointText) && $0.hasSuffix("failed at step 3 (smoke test)") }, "\(deploy.stdout)")
        #expect(table.contains { $0.hasPrefix(p.hosts[2].endpointText) && $0.hasSuffix("untouched") }, "\(deploy.stdout)")
        #expect(try p.repos.head(p.hostDirs[2]) == third)
        #expect(!FileManager.default.fileExists(atPath: p.hostDirs[2] + "/.slipway"))
        #expect(p.hosts[2].connections == 0, "never even connected to")
        #expect(deploy.stdout.contains("staging: 1 of 3 hosts done"))
    }
}

extension RemoteDeployTests {
    @Test("Ctrl-C during a remote step stops it on the host, releases the lock, journals 'interrupted' and exits 130")
    func interruptRemote() throws {
        let p = try project(steps: "  - run: echo READY-$((40+2)); sleep 28.321\n  - run: echo never\n")
        let (process, stdout, _) = try p.cli.startAndWait(for: ["READY-42"], ["deploy", "staging"], environment: p.repos.environment)
        kill(process.processIdentifier, SIGINT)
        let rest = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(rest)")
        #expect(!rest.contains("│     │ never"))
        #expect(waitForAgents(in: p.path))
        #expect(!processRuns(["sleep", "28.321"]), "the remote step was stopped on the host")
        #expect(!FileManager.default.fileExists(atPath: p.path + "/.slipway/lock"), "the lock is released")
        #expect(p.journal().last?["result"] as? String == "interrupted", "\(p.journal())\n\(rest)")
    }

    @Test("a remote step's timeout is enforced on the host: its process is killed there and the step times out")
    func remoteTimeout() throws {
        let p = try project(steps: "  - run: sleep 27.456\n    timeout: 1\n")
        let deploy = try p.slipway("deploy", "staging")
        #expect(deploy.status == 1)
        #expect(deploy.stdout.contains("timed out after 1 s"), "\(deploy.stdout)")
        #expect(waitForAgents(in: p.path))
        #expect(!processRuns(["sleep", "27.456"]))
        #expect(p.journal().last?["result"] as? String == "failed")
    }
}
