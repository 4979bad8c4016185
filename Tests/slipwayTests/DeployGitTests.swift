import Foundation
import SQLiteKit
import Testing

/// The `git: pull` step on real repositories: a bare `origin`, the target's clone, and a
/// developer's clone that pushes. The first step of each pipeline stands in for stopping
/// the app (it leaves a file behind), so a test can tell whether anything ran.
@Suite("deploy: git pull against real repositories")
struct DeployGitTests {
    static let steps = "  - run: touch ../stopped\n  - git: pull\n  - run: cat app.txt\n"

    func setup() throws -> GitRepos {
        let repos = try GitRepos()
        repos.cli.write("deploy.yml", "app: demo\ntargets:\n  local:\n    path: target\nsteps:\n" + Self.steps)
        return repos
    }

    /// Whether the pipeline's first step ran.
    func stopped(_ repos: GitRepos) -> Bool { FileManager.default.fileExists(atPath: repos.cli.root + "/stopped") }

    @Test("the target fast-forwards to the pushed commit; revisions before and after are journaled and shown by history")
    func pull() throws {
        let repos = try setup()
        let before = try repos.head(repos.target)
        let pushed = try repos.push("app.txt", "v2\n", message: "v2")
        #expect(pushed != before)

        let deploy = try repos.slipway("deploy", "local", "--json")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(try repos.head(repos.target) == pushed)
        #expect(repos.read(repos.target, "app.txt") == "v2\n")
        #expect(try repos.changes(repos.target) == "")
        // The step after the pull sees the new code.
        #expect(deploy.jsonLines.contains { $0["event"] as? String == "output" && $0["step"] as? Int == 3 && $0["line"] as? String == "v2" })
        let summary = try #require(deploy.jsonLines.last)
        #expect(summary["event"] as? String == "summary")
        #expect(summary["revision_before"] as? String == before)
        #expect(summary["revision_after"] as? String == pushed)

        let journal = repos.journal()
        let gitStep = try #require(journal.first { $0["type"] as? String == "step" && $0["kind"] as? String == "git" })
        #expect(gitStep["status"] as? String == "ok")
        #expect(gitStep["revision_before"] as? String == before)
        #expect(gitStep["revision_after"] as? String == pushed)
        let finish = try #require(journal.last)
        #expect(finish["type"] as? String == "finish")
        #expect(finish["result"] as? String == "succeeded")
        #expect(finish["revision_before"] as? String == before)
        #expect(finish["revision_after"] as? String == pushed)

        // Nothing new: the second deploy succeeds and its revision does not move.
        #expect(try repos.slipway("deploy", "local").status == 0)
        let history = try repos.slipway("history", "local", "--json").jsonLines
        #expect(history.count == 2)
        #expect(history.map { $0["result"] as? String } == ["succeeded", "succeeded"])
        #expect(history.map { $0["revision_before"] as? String } == [before, pushed])
        #expect(history.map { $0["revision_after"] as? String } == [pushed, pushed])
        let table = try repos.slipway("history", "local").stdout
        #expect(table.split(separator: "\n").dropFirst().allSatisfy { $0.contains(" \(pushed.prefix(8)) ") }, "the code each deploy left: \(table)")
        let first = try #require(history.first?["id"] as? String)
        let detail = try repos.slipway("history", "local", first).stdout
        #expect(detail.contains("revision    \(before.prefix(8)) → \(pushed.prefix(8))"), "\(detail)")
        let second = try #require(history.last?["id"] as? String)
        #expect(try repos.slipway("history", "local", second).stdout.contains("revision    \(pushed.prefix(8)) (unchanged)"))
    }

    @Test("a first deploy whose migrations folder arrives with the pull passes preflight and migrates")
    func migrationsArriveWithPull() throws {
        let repos = try GitRepos()
        repos.cli.write("deploy.yml", "app: demo\ndatabase:\n  path: app.db\ntargets:\n  local:\n    path: target\nsteps:\n  - git: pull\n  - migrate\n")
        try repos.push("migrations/001_init.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);\n", message: "first migration")
        let deploy = try repos.slipway("deploy", "local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        let db = try Connection(path: repos.target + "/app.db", mode: .readOnly)
        #expect(try db.query("SELECT filename FROM _migrations") == [["001_init.sql"]])
    }

    enum Unready: String, CaseIterable, CustomTestStringConvertible {
        case dirty, detached, noUpstream
        var testDescription: String { rawValue }
    }

    @Test("preflight refuses a target that is not ready, before any step runs", arguments: Unready.allCases)
    func preflightRefuses(_ unready: Unready) throws {
        let repos = try setup()
        let before = try repos.head(repos.target)
        try repos.push("app.txt", "v2\n", message: "v2")
        let expected: String
        switch unready {
        case .dirty:
            try "edited on the server\n".write(toFile: repos.target + "/app.txt", atomically: true, encoding: .utf8)
            expected = "the work tree has local changes ( M app.txt)"
        case .detached:
            try repos.git(["checkout", "--quiet", "--detach"], in: repos.target)
            expected = "HEAD is detached"
        case .noUpstream:
            try repos.git(["branch", "--unset-upstream"], in: repos.target)
            expected = "branch 'main' has no upstream"
        }

        let deploy = try repos.slipway("deploy", "local")
        #expect(deploy.status == 1)
        #expect(deploy.stdout.contains("preflight git: FAILED"), "\(deploy.stdout)")
        #expect(deploy.stdout.contains(expected), "\(deploy.stdout)")
        #expect(deploy.stderr.contains("preflight failed; nothing was run or changed"), "\(deploy.stderr)")
        #expect(!stopped(repos), "the step before git ran")
        #expect(try repos.head(repos.target) == before)
        #expect(repos.journal().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: repos.target + "/.slipway/lock"))
        if unready == .dirty {
            #expect(repos.read(repos.target, "app.txt") == "edited on the server\n")
        }
    }

    @Test("a diverged target fails the git step without changing its work tree; later steps do not run")
    func diverged() throws {
        let repos = try setup()
        let local = try repos.commit(in: repos.target, "app.txt", "hotfix on the server\n", message: "hotfix")
        let pushed = try repos.push("app.txt", "v2\n", message: "v2")

        let deploy = try repos.slipway("deploy", "local", "--json")
        #expect(deploy.status == 1)
        #expect(stopped(repos), "preflight passes: the branch is clean and tracks origin/main")
        let finished = deploy.jsonLines.filter { $0["event"] as? String == "step_finished" }
        #expect(finished.map { $0["status"] as? String } == ["ok", "failed"])
        #expect(deploy.stdout.contains("Not possible to fast-forward"), "\(deploy.stdout)")
        #expect(!deploy.jsonLines.contains { $0["event"] as? String == "output" && $0["step"] as? Int == 3 })

        #expect(try repos.head(repos.target) == local)
        #expect(try repos.head(repos.target) != pushed)
        #expect(try repos.changes(repos.target) == "")
        #expect(repos.read(repos.target, "app.txt") == "hotfix on the server\n")
        let gitStep = try #require(repos.journal().first { $0["type"] as? String == "step" && $0["kind"] as? String == "git" })
        #expect(gitStep["status"] as? String == "failed")
        #expect(gitStep["revision_before"] as? String == local)
        #expect(gitStep["revision_after"] as? String == local)
        let history = try repos.slipway("history", "local", "--json").jsonLines
        #expect(history.map { $0["result"] as? String } == ["failed"])
    }
}
