import Foundation
import TestSupport

/// A deploy over SSH against real sshd processes on loopback: the repositories of
/// `GitRepos` (a bare origin, the developer's clone), one sshd per host, each host's
/// own clone of origin, and the deployer's project folder with deploy.yml, a key and a
/// known_hosts file. sshd runs as the test's user (root here), so the hosts' commands
/// see the whole filesystem: the target path is the host's clone.
final class RemoteProject {
    let repos: GitRepos
    var cli: CLI { repos.cli }
    /// The first host's sshd (`hosts[0]`).
    var sshd: Sshd { hosts[0] }
    private(set) var hosts: [Sshd] = []
    /// The target path every host deploys to.
    let path: String
    /// Each host's own folder, seen at `path` by that host (`path` itself with one host).
    private(set) var hostDirs: [String] = []
    var knownHosts: String { cli.root + "/known_hosts" }
    var key: String { sshd.userKey }

    /// One host on 127.0.0.1 at `path` (default: the repos' `target` clone, renamed by `folderName`).
    init(folderName: String? = nil) throws {
        repos = try GitRepos()
        if let folderName {
            path = repos.cli.root + "/" + folderName
            try FileManager.default.moveItem(atPath: repos.target, toPath: path)
        } else {
            path = repos.target
        }
        hosts = [try Sshd.start()]
        hostDirs = [path]
        trust()
    }

    /// `count` hosts 127.0.0.2… on one port, each in its own mount namespace where its own clone
    /// of origin is at the same `path`, as on separate machines; one user key logs into all.
    init(hosts count: Int) throws {
        repos = try GitRepos()
        path = "/tmp/slipway-fleet-" + UUID().uuidString.prefix(8).lowercased() + "/app"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let port = try TestSupport.Loopback.freePort(on: "127.0.0.2")
        var key: String?
        for i in 0..<count {
            let dir = repos.cli.root + "/host\(i + 1)"
            try repos.git(["clone", "--quiet", repos.origin, dir], in: repos.cli.root)
            try repos.git(["config", "user.name", "Server"], in: dir)
            try repos.git(["config", "user.email", "server@example.invalid"], in: dir)
            let host = try Sshd.start(address: "127.0.0.\(i + 2)", port: port, bind: (dir, path), userKey: key)
            key = key ?? host.userKey
            hosts.append(host)
            hostDirs.append(dir)
        }
        trust()
    }

    deinit {
        hosts.forEach { $0.stop() }
        if hostDirs.count > 1 || !path.hasPrefix(cli.root) { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    }

    /// Every host's key in the project's known_hosts file.
    func trust() {
        cli.write("known_hosts", hosts.map(\.knownHostsLine).joined(separator: "\n") + "\n")
    }

    /// `hosts:` entries of every sshd.
    var hostList: String { "[" + hosts.map { "\"\($0.user)@\($0.address):\($0.port)\"" }.joined(separator: ", ") + "]" }

    /// deploy.yml with a `staging` target on every host and `steps` (YAML lines, each "  - …").
    /// `target`: more keys of the target, one per line; `top`: more top-level YAML.
    func writeSpec(steps: String, target: [String] = [], top: String = "") {
        let quoted = "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        var lines = ["app: demo", "database:", "  path: app.db", "  migrations: migrations", "targets:", "  staging:",
                     "    hosts: \(hostList)", "    key: \(key)", "    known_hosts: known_hosts", "    path: \(quoted)"]
        lines += target.map { "    " + $0 }
        cli.write("deploy.yml", (lines + [top, "steps:", steps]).joined(separator: "\n") + "\n")
    }

    /// `slipway args…` in the deployer's folder.
    func slipway(_ args: String...) throws -> CLI.Result { try cli.run(args, environment: repos.environment) }

    /// A host's journal lines.
    func journal(host: Int = 0) -> [[String: Any]] {
        ((try? String(contentsOfFile: hostDirs[host] + "/.slipway/journal.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
