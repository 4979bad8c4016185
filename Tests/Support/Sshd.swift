import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real OpenSSH server (`/usr/sbin/sshd`, Debian's openssh-server) owned by one test, on a
/// loopback address, as root: its own temp folder with a fresh ed25519 host key, a user key in
/// authorized_keys, its own sshd_config and log, and a known_hosts file that trusts it.
///
/// Commands run with SHLVL=1 in their environment (sshd's SetEnv): Debian's bash sources
/// ~/.bashrc for commands that come over SSH unless it is a nested shell, and the test user's
/// ~/.bashrc belongs to the machine (here it runs `pyenv init`: ~150 ms and possible stderr noise
/// per command), not to the test.
///
/// Started with posix_spawn (`Spawned`), never Foundation.Process: sshd closes the descriptors it
/// inherits, which makes Foundation's exit monitor hang every other wait (TOOLCHAIN.md §3).
/// Stopped by PID: its per-connection processes first (SIGKILL), then the listener (SIGTERM, then
/// SIGKILL), then commands it started that outlived their connection (found by `marker`); also
/// on deinit. If it cannot start, `start` throws with its log's tail: a test that
/// needs it fails rather than skips.
public final class Sshd: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let address: String
    public let port: Int
    /// The temp folder holding keys, config, log and known_hosts (removed by `stop`).
    public let directory: String
    /// The login user: the one running the tests (root).
    public let user: String
    /// Private key accepted for `user` (OpenSSH format, no passphrase).
    public let userKey: String
    /// The host's public key file and its "ssh-ed25519 AAAA…" text.
    public let hostPublicKeyFile: String
    public let hostKey: String
    /// known_hosts with the one line `knownHostsLine` (`[address]:port ssh-ed25519 …`).
    public let knownHosts: String
    public let knownHostsLine: String
    /// The listener's PID (sshd's own, also when started through unshare).
    public let pid: pid_t
    public let log: String
    /// NAME=VALUE in the environment of every command this sshd runs (SetEnv), so that `stop`
    /// also finds the ones orphaned when their connection ended (no longer below `pid`).
    public let marker: String
    private let output: String
    private let baseline: Int
    private let lock = NSLock()
    private var stopped = false

    /// Starts sshd on `address:port` (a free port when nil) and returns once it accepts TCP.
    /// `bind` starts it in a mount namespace of its own where `hostDir` is bind-mounted on
    /// `target`, so several "hosts" on one machine see their own files at the same path
    /// (TOOLCHAIN.md §7). `userKey`: a private key (with its .pub) to authorize instead of a new one,
    /// so that one key logs into several servers.
    public static func start(
        address: String = "127.0.0.1", port: Int? = nil, bind: (hostDir: String, target: String)? = nil, userKey: String? = nil
    ) throws -> Sshd {
        var attempt = 0
        while true {
            attempt += 1
            let chosen = try port ?? Loopback.freePort(on: address)
            do {
                return try Sshd(address: address, port: chosen, bind: bind, userKey: userKey)
            } catch let failure as Failure where port == nil && attempt < 5 && failure.description.contains("Address already in use") {
                continue  // another test took the free port first
            }
        }
    }

    private init(address: String, port: Int, bind: (hostDir: String, target: String)?, userKey: String?) throws {
        self.address = address
        self.port = port
        let id = UUID().uuidString.prefix(8).lowercased()
        directory = NSTemporaryDirectory() + "slipway-sshd-" + id
        marker = "SLIPWAY_TEST_SSHD=" + id
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        user = Self.currentUser
        log = directory + "/sshd.log"
        output = directory + "/sshd.out"

        let hostKeyFile = directory + "/ssh_host_ed25519_key"
        try SSHKeys.generate(hostKeyFile, comment: "host")
        hostPublicKeyFile = hostKeyFile + ".pub"
        hostKey = try SSHKeys.publicKey(hostPublicKeyFile)
        if let userKey {
            self.userKey = userKey
        } else {
            self.userKey = directory + "/id_ed25519"
            try SSHKeys.generate(self.userKey, comment: "user")
        }
        try String(contentsOfFile: self.userKey + ".pub", encoding: .utf8)
            .write(toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8)
        knownHostsLine = "\(port == 22 ? address : "[\(address)]:\(port)") \(hostKey)"
        knownHosts = directory + "/known_hosts"
        try (knownHostsLine + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)

        let config = directory + "/sshd_config"
        try """
            ListenAddress \(address)
            Port \(port)
            HostKey \(hostKeyFile)
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            Subsystem sftp internal-sftp
            LogLevel VERBOSE
            UseDNS no
            PrintMotd no
            MaxStartups 100
            MaxSessions 50
            SetEnv SHLVL=1 \(marker)

            """.write(toFile: config, atomically: true, encoding: .utf8)

        // sshd refuses to start without its privilege-separation folder.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        var argv = ["/usr/sbin/sshd", "-D", "-f", config, "-E", log]
        if let bind {
            try FileManager.default.createDirectory(atPath: bind.target, withIntermediateDirectories: true)
            argv = ["unshare", "-m", "--propagation", "private", "sh", "-c", #"mount --bind "$0" "$1" && shift && exec "$@""#,
                    bind.hostDir, bind.target] + argv
        }
        pid = try Spawned.start(argv, environment: Spawned.environment([:]), log: output)
        switch Self.waitUntilReady(address: address, port: port, pid: pid, log: log) {
        case .success(let count):
            baseline = count
        case .failure(let failure):
            Self.terminate(pid, ended: failure.ended)
            let text = failure.description + "\n" + Self.tail(of: log) + Self.tail(of: output)
            try? FileManager.default.removeItem(atPath: directory)
            throw Failure(description: text)
        }
    }

    deinit { stop() }

    /// The login as `user@[address]:port`, for messages.
    public var endpointText: String { "\(user)@\(address.contains(":") ? "[\(address)]" : address):\(port)" }

    /// TCP connections sshd accepted since it became ready: its "Connection from" log lines
    /// (LogLevel VERBOSE), not counting the readiness probe.
    public var connections: Int { Self.connectionLines(in: log) - baseline }

    /// Adds a public key file's key to authorized_keys (read by sshd at each login).
    public func authorize(publicKeyFile: String) throws {
        let line = try String(contentsOfFile: publicKeyFile, encoding: .utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/authorized_keys"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
    }

    /// The last lines of sshd's log, for failure messages.
    public func logTail(_ lines: Int = 30) -> String { Self.tail(of: log, lines: lines) }

    /// Stops sshd and everything it started; removes the temp folder. Idempotent.
    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        guard !already else { return }
        Self.terminate(pid, ended: false)
        ProcTable.kill(Self.processes(marked: marker))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// SIGKILL for everything below the listener (per-connection sshd processes and the commands
    /// they run), then SIGTERM for the listener, waited for 5 s at most, then SIGKILL.
    private static func terminate(_ pid: pid_t, ended: Bool) {
        ProcTable.kill(ProcTable.descendants(of: pid))
        guard !ended else { return }
        _ = Glibc.kill(pid, SIGTERM)
        for _ in 0..<500 {
            if Spawned.hasEnded(pid) { return }
            usleep(10_000)
        }
        _ = Glibc.kill(pid, SIGKILL)
        _ = Spawned.wait(pid)
    }

    private struct StartFailure: Error {
        var description: String
        /// sshd already exited (and was reaped).
        var ended: Bool
    }

    /// Polls until `address:port` accepts TCP (10 s at most) and sshd logged the probe's
    /// connection; the number of "Connection from" lines at that point.
    private static func waitUntilReady(address: String, port: Int, pid: pid_t, log: String) -> Result<Int, StartFailure> {
        let deadline = Date().addingTimeInterval(10)
        var probePort: Int?
        while Date() < deadline {
            if Spawned.hasEnded(pid) { return .failure(StartFailure(description: "sshd on \(address):\(port) exited at start", ended: true)) }
            if probePort == nil { probePort = Loopback.probe(address, port: port) }
            if let probePort {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                // The probe's source address is the kernel's choice (127.0.0.1 also towards 127.0.0.2).
                if text.contains(" port \(probePort) on ") { return .success(connectionLines(in: log)) }
            }
            usleep(10_000)
        }
        return .failure(StartFailure(description: "sshd on \(address):\(port) did not accept connections within 10 s", ended: false))
    }

    static func connectionLines(in log: String) -> Int {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // sshd's -E log ends lines with "\r\n", which Swift reads as one Character: count occurrences.
        return text.components(separatedBy: "Connection from ").count - 1
    }

    static func tail(of file: String, lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? "(no \(file))"
        return text.split(whereSeparator: \.isNewline).suffix(lines).joined(separator: "\n") + "\n"
    }

    static var currentUser: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "root" }
        return String(cString: name)
    }
}
