import MigrationCore

#if canImport(Glibc)
import Glibc
#endif

/// Checks, before the first step, everything the plan needs that can be known in
/// advance, so a deploy does not stop the app and then fail on a dirty work tree,
/// a missing tool or an edited migration. Each failure says what to fix.
///
/// The checks run on the target, by slipway's agent there (`LockAgent`, or
/// `slipway agent preflight`), with a `LocalExecutor` of that machine: one round trip
/// for all of them, however far the host is.
public struct Preflight {
    public var needs: Needs
    public var executor: any Executor

    /// What a plan needs of its target.
    public struct Needs: Sendable, Equatable, Codable {
        public var path: String
        public var git: Bool
        public var tools: [String]
        public var migrate: Bool
        public var database: String?
        public var migrations: String?
        public var table: String?
        public var outOfOrder: Bool?
        public var allowModified: Bool?

        public init(plan: Plan, database: DatabaseSettings) {
            path = plan.path
            git = plan.hasGit
            tools = plan.tools
            migrate = plan.hasMigrate
            self.database = database.path
            migrations = database.migrations
            table = database.table
            outOfOrder = database.outOfOrder ? true : nil
            allowModified = database.allowModified ? true : nil
        }
    }

    public init(needs: Needs, executor: any Executor) {
        self.needs = needs
        self.executor = executor
    }

    /// The checks of `plan`, run by slipway on the target in one command (no lock: a dry run's).
    public static func onTarget(plan: Plan, database: DatabaseSettings, executor: any Executor) -> [Check] {
        let (result, lines) = executor.capture(plan.slipway(["agent", "preflight", "--needs", AgentCoding.encode(Needs(plan: plan, database: database))]))
        if let checks = lines.last.flatMap({ AgentCoding.decode([Check].self, $0) }) { return checks }
        return [Check(name: "preflight", ok: false,
                      detail: "slipway on the target could not run the checks (\(result.description)): \(lines.suffix(3).joined(separator: " "))")]
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

    /// The target's folder, checked before the lock is taken inside it.
    public static func path(_ path: String) -> Check {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            ? Check(name: "path", ok: true, detail: path)
            : Check(name: "path", ok: false, detail: "the target's path '\(path)' is not a folder: create it (and clone the app there) or fix `path:` in deploy.yml")
    }

    /// The other checks, in order; all of them run so that one deploy attempt shows every problem.
    public func rest() -> [Check] {
        var checks: [Check] = []
        if needs.git { checks.append(git()) }
        for tool in needs.tools { checks.append(self.tool(tool)) }
        if needs.migrate { checks.append(migrations()) }
        return checks
    }

    private func git() -> Check {
        let dir = needs.path
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

    /// The database and migrations as `migrate` will see them (in the target's folder).
    private func migrations() -> Check {
        var settings = DatabaseSettings()
        settings.path = needs.database
        settings.migrations = needs.migrations
        settings.table = needs.table
        settings.outOfOrder = needs.outOfOrder ?? false
        settings.allowModified = needs.allowModified ?? false
        return DatabaseCheck(database: settings, gitBringsFiles: needs.git).run()
    }
}
