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

    public struct Check: Sendable, Equatable {
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

    /// The database and migrations as `migrate` will see them, read in-process
    /// (remote targets will run `slipway validate` on the host instead).
    private func migrations() -> Check {
        func local(_ path: String) -> String { path.hasPrefix("/") ? path : plan.path + "/" + path }
        guard let dbPath = database.path else {
            return Check(name: "database", ok: false, detail: "deploy.yml has a migrate step but no database.path")
        }
        let directory = MigrationDirectory(path: local(database.migrations ?? "migrations"))
        let opener = DatabaseOpener(path: local(dbPath), busyTimeoutMilliseconds: 5000)
        do throws(MigrationError) {
            let files = try directory.load()
            var rows: [AppliedMigration] = []
            if let db = try opener.openForReading() {
                do {
                    rows = try TrackingTable(name: database.table ?? "_migrations").rows(on: db)
                } catch let error as MigrationError {
                    throw error
                } catch {
                    return Check(name: "database", ok: false, detail: "cannot read the tracking table of \(dbPath): \(error)")
                }
            } else {
                let folder = local(dbPath).split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                let (exists, _) = executor.capture(Command(["test", "-d", folder.isEmpty ? "/" : folder]))
                if !exists.succeeded { return Check(name: "database", ok: false, detail: "the database's folder '\(folder)' does not exist") }
            }
            let validator = Validator(files: files, rows: rows)
            let errors = validator.findings().filter { $0.severity == .error }
            guard errors.isEmpty else {
                return Check(name: "migrations", ok: false,
                             detail: "validate fails: " + errors.map(\.description).joined(separator: "; ") + " (see `slipway validate`)")
            }
            let pending = validator.inventory.entries.filter { $0.state == .pending }.count
            return Check(name: "migrations", ok: true, detail: "\(files.count) valid, \(pending) pending, database \(dbPath)")
        } catch {
            // A first deploy gets its migrations folder from the `git pull` step itself.
            if case .migrationsFolderMissing = error, plan.hasGit {
                return Check(name: "migrations", ok: true, detail: "no migrations folder yet: the git step brings it; migrate checks it then")
            }
            return Check(name: "migrations", ok: false, detail: error.description)
        }
    }
}
