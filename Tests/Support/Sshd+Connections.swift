import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Sshd {
    /// The per-connection sshd processes: the listener's descendants named "sshd" (the privileged
    /// monitor per connection and its unprivileged child holding the session).
    public var connectionProcesses: [ProcTable.Entry] {
        ProcTable.descendants(of: pid).filter { Self.name(of: $0.pid) == "sshd" }
    }

    /// "The connection dies mid-step": SIGKILL for every per-connection sshd process and the
    /// commands they started. The client sees its TCP connection closed. Returns how many were killed.
    @discardableResult
    public func killConnections() -> Int {
        let entries = ProcTable.descendants(of: pid)
        ProcTable.kill(entries)
        return entries.count
    }

    /// "A silent peer": SIGSTOP for every per-connection sshd process. The kernel still
    /// acknowledges TCP, but no SSH byte comes back (not even to keepalives). `stop()` kills them.
    /// Returns how many were stopped.
    @discardableResult
    public func freezeConnections() -> Int {
        let entries = connectionProcesses
        for entry in entries { _ = Glibc.kill(entry.pid, SIGSTOP) }
        return entries.count
    }

    /// Waits (bounded, 10 s) until at least `count` per-connection sshd processes exist, e.g.
    /// until a client's login has reached the server; whether they did.
    public func waitForConnectionProcesses(_ count: Int = 1) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if connectionProcesses.count >= count { return true }
            usleep(10_000)
        }
        return false
    }

    /// Processes whose environment holds `marker` (NAME=VALUE), read from /proc/PID/environ.
    public static func processes(marked marker: String) -> [ProcTable.Entry] {
        let wanted = Array(marker.utf8) + [0]
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
        return pids.compactMap { pid -> ProcTable.Entry? in
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return nil }
            let bytes = [UInt8](environ)
            let found = bytes.split(separator: 0, omittingEmptySubsequences: true).contains { Array($0) + [0] == wanted }
            return found ? ProcTable.entry(pid) : nil
        }
    }

    static func name(of pid: pid_t) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
