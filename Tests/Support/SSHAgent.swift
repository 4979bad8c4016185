import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An `ssh-agent -D -a SOCKET` of one test, started with posix_spawn and killed by PID.
/// Tests hand `socket` to the code under test; the runner's own SSH_AUTH_SOCK is never touched.
public final class SSHAgent {
    public let socket: String
    public let pid: pid_t
    private let folder: String

    public init() throws {
        // A unix socket path has to fit in sun_path (108 bytes): keep it short.
        folder = "/tmp/sa-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        socket = folder + "/agent.sock"
        pid = try Spawned.start(["ssh-agent", "-D", "-a", socket], environment: Spawned.environment([:]), log: folder + "/agent.log")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) {
            guard Date() < deadline, !Spawned.hasEnded(pid) else {
                let log = (try? String(contentsOfFile: folder + "/agent.log", encoding: .utf8)) ?? ""
                stop()
                throw Spawned.Failure(description: "ssh-agent did not create \(socket): \(log)")
            }
            usleep(10_000)
        }
    }

    deinit { stop() }

    /// `ssh-add KEY` against this agent.
    public func add(_ keyFile: String) throws {
        let result = try Spawned.run(["ssh-add", keyFile], environment: Spawned.environment(["SSH_AUTH_SOCK": socket]))
        guard result.status == 0 else { throw Spawned.Failure(description: "ssh-add failed: \(result.output)") }
    }

    private var stopped = false

    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = Glibc.kill(pid, SIGTERM)
        _ = Spawned.wait(pid)
        try? FileManager.default.removeItem(atPath: folder)
    }
}
