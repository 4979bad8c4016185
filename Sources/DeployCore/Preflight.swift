import MigrationCore

/// Checks, before the first step, everything the plan needs that can be known in
/// advance, so a deploy does not stop the app and then fail on a dirty work tree,
/// a missing tool or an edited migration. Each failure says what to fix.
public struct Preflight {
    public var plan: Plan
    public var executor: any Executor
    public var database: DatabaseSettings

    public init(plan: Plan, executor: any Executor, database: DatabaseSettings) {
        self.plan = plan
        self.executor = executor
        self.database = database
    }

    public struct Check: Sendable, Equatable, Codable {
        public var name: String
        public var ok: Bool
        public var detail: String

        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    /// The target's folder; checked first, before the lock is taken inside it.
    public func path() -> Check {
        let (result, _) = executor.capture(Command(["test", "-d", plan.path]))
        return result.succeeded
            ? Check(name: "path", ok: true, detail: plan.path)
            : Check(name: "path", ok: false, detail: "the target's path '\(plan.path)' is not a folder: create it (and clone the app there) or fix `path:` in deploy.yml")
    }

    /// The other checks, in order; all of them run so that one deploy attempt shows every problem.
    public func rest() -> [Check] {
        var checks: [Check] = []
        if plan.hasGit { checks.append(git()) }
        for tool in plan.tools { checks.append(self.tool(tool)) }
        if plan.hasMigrate { checks.append(migrations()) }
        return checks
    }

    private func git() -> Check {
        let dir = plan.path
        let (status, dirty) = executor.capture(Command(["git", "status", "--porcelain", "--untracked-files=no"], workingDirectory: dir))
        guard status.succeeded else {
            return Check(name: "git", ok: false, detail: "'\(dir)' is not a git work tree (\(dirty.first ?? status.description)): clone the app there")
        }
        guard dirty.isEmpty else {
            let files = dirty.prefix(5).joined(separator: "; ")
            return Check(name: "git", ok: false, detail: "the work tree has local changes (\(files)): commit, stash or discard them; `git pull --ff-only` must not mix them in")
        }
        let (onBranch, branch) = executor.capture(Command(["git", "symbolic-ref", "-q", "--short", "HEAD"], workingDirectory: dir))
        guard onBranch.succeeded, let name = branch.first else {
            return Check(name: "git", ok: false, detail: "HEAD is detached: check out the branch to deploy (git checkout main)")
        }
        let (tracks, upstream) = executor.capture(Command(["git", "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], workingDirectory: dir))
        guard tracks.succeeded, let remote = upstream.first else {
            return Check(name: "git", ok: false, detail: "branch '\(name)' has no upstream: git branch --set-upstream-to=origin/\(name)")
        }
        return Check(name: "git", ok: true, detail: "clean, on \(name) tracking \(remote)")
    }

    private func tool(_ name: String) -> Check {
        let (found, where_) = executor.capture(Command(["/bin/sh", "-c", "command -v \"$1\"", "sh", name]))
        return found.succeeded
            ? Check(name: name, ok: true, detail: where_.first ?? name)
            : Check(name: name, ok: false, detail: "'\(name)' is not on PATH: install it (steps call it) or fix PATH")
    }

    /// The database and migrations as `migrate` will see them, checked on the target
    /// by its slipway (`slipway agent check-database`, `DatabaseCheck`).
    private func migrations() -> Check {
        var arguments = ["agent", "check-database", "--db", database.path ?? "", "--dir", database.migrations ?? "migrations"]
        if let table = database.table { arguments += ["--table", table] }
        if plan.hasGit { arguments.append("--git-brings-files") }
        let (result, lines) = executor.capture(plan.slipway(arguments))
        if let check = lines.last.flatMap({ AgentCoding.decode(Check.self, $0) }) { return check }
        return Check(name: "migrations", ok: false,
                     detail: "slipway on the target could not check the database (\(result.description)): \(lines.suffix(3).joined(separator: " "))")
    }
}
