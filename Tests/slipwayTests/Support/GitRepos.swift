import TestSupport
import Foundation

/// Three real git repositories inside a CLI project folder: `origin.git` (bare, the
/// remote), `target` (a clone: the deploy target's path) and `dev` (a clone that
/// commits and pushes, like a developer's machine).
///
/// git runs with a HOME of its own and without the system config, so the machine's
/// and the user's settings cannot change what it does; identities are set in each
/// repository's own config, never globally.
final class GitRepos {
    let cli: CLI
    var origin: String { cli.root + "/origin.git" }
    var target: String { cli.root + "/target" }
    var dev: String { cli.root + "/dev" }
    /// For every git process, slipway's included (the harness's own git runs also drop
    /// any inherited GIT_* variable; slipway gets the runner's environment plus these).
    let environment: [String: String]

    init() throws {
        cli = CLI()
        let home = cli.root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        environment = [
            "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C",
        ]
        try git(["init", "--quiet", "--bare", "--initial-branch=main", origin], in: cli.root)
        try git(["clone", "--quiet", origin, dev], in: cli.root)
        try identify(dev, as: "Dev")
        try commit(in: dev, "app.txt", "v1\n", message: "v1")
        try git(["push", "--quiet", "-u", "origin", "main"], in: dev)
        try git(["clone", "--quiet", origin, target], in: cli.root)
        try identify(target, as: "Server")
    }

    private func identify(_ repo: String, as name: String) throws {
        try git(["config", "user.name", name], in: repo)
        try git(["config", "user.email", "\(name.lowercased())@example.invalid"], in: repo)
    }

    /// Runs git; a failure fails the test with git's output.
    @discardableResult
    func git(_ args: [String], in directory: String) throws -> String {
        let result = try Spawned.run(["git"] + args, directory: directory, environment: Spawned.environment(environment))
        guard result.status == 0 else {
            throw Spawned.Failure(description: "git \(args.joined(separator: " ")) in \(directory) exited \(result.status): \(result.output)")
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `file` in `repo`, commits it and returns the new commit.
    @discardableResult
    func commit(in repo: String, _ file: String, _ text: String, message: String) throws -> String {
        let path = repo + "/" + file
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try git(["add", file], in: repo)
        try git(["commit", "--quiet", "-m", message], in: repo)
        return try head(repo)
    }

    /// A new commit from `dev`, pushed to origin.
    @discardableResult
    func push(_ file: String, _ text: String, message: String) throws -> String {
        let revision = try commit(in: dev, file, text, message: message)
        try git(["push", "--quiet", "origin", "main"], in: dev)
        return revision
    }

    func head(_ repo: String) throws -> String { try git(["rev-parse", "HEAD"], in: repo) }

    /// Tracked changes in the target's work tree (slipway's own untracked `.slipway/` aside).
    func changes(_ repo: String) throws -> String { try git(["status", "--porcelain", "--untracked-files=no"], in: repo) }

    func read(_ repo: String, _ file: String) -> String {
        (try? String(contentsOfFile: repo + "/" + file, encoding: .utf8)) ?? ""
    }

    /// `slipway args…` in the project folder, with git's environment.
    func slipway(_ args: String...) throws -> CLI.Result { try cli.run(args, environment: environment) }

    /// The target's journal, one JSON object per line.
    func journal() -> [[String: Any]] {
        read(target, ".slipway/journal.jsonl").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
