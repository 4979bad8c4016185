import Foundation
@testable import DeployCore

#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn for the test harness's own processes (git, supervisord, supervisorctl).
///
/// Not Foundation.Process: on Linux it notices a child's exit through an inherited
/// socket, which a daemon such as supervisord closes, and then every other wait in the
/// test runner hangs (TOOLCHAIN.md §3). Children here get no descriptor of the runner
/// beyond 0–2 (`closefrom(3)`): tests run in parallel, and a daemon holding another
/// test's pipe open would keep that test from ever seeing EOF.
public enum Spawned {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The runner's environment without the variables that would point git at another
    /// repository or configuration, plus `overrides`.
    public static func environment(_ overrides: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        for (k, v) in overrides { env[k] = v }
        return env
    }

    /// Starts `argv` (looked up on PATH) the way slipway starts a step (DeployCore's
    /// `Spawn`: own process group, stdin from /dev/null, no inherited descriptors),
    /// stdout and stderr appended to `log`.
    public static func start(_ argv: [String], directory: String? = nil, environment: [String: String], log: String) throws -> pid_t {
        switch Spawn.start(argv, directory: directory, environment: environment, output: .file(log)) {
        case .success(let pid): return pid
        case .failure(let failure): throw Failure(description: "cannot start \(argv.first ?? ""): \(failure.message)")
        }
    }

    /// Waits for `pid`: its exit status, or 128 + the signal that killed it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Whether `pid` (a child of this process) has ended; reaps it if so.
    public static func hasEnded(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// Runs `argv` to its end; its exit status and its output (stdout and stderr together).
    /// Output goes through a file, so a chatty child can never block on a full pipe.
    public static func run(_ argv: [String], directory: String? = nil, environment: [String: String]) throws -> (status: Int32, output: String) {
        let log = NSTemporaryDirectory() + "slipway-spawned-\(UUID().uuidString).log"
        defer { unlink(log) }
        let pid = try start(argv, directory: directory, environment: environment, log: log)
        let status = wait(pid)
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}

/// Processes as /proc shows them, to find and end what a daemon left behind.
public enum ProcTable {
    public struct Entry: Equatable {
        public var pid: pid_t
        public var parent: pid_t
        /// Clock ticks after boot: with the pid, names one process even if the pid is reused.
        public var started: UInt64
    }

    public static func entry(_ pid: pid_t) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
        // utime stime cutime cstime priority nice threads itrealvalue starttime …
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", let parent = pid_t(fields[1]), let started = UInt64(fields[19]) else { return nil }
        return Entry(pid: pid, parent: parent, started: started)
    }

    /// Every live process below `root`.
    public static func descendants(of root: pid_t) -> [Entry] {
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }.compactMap(entry)
        var found: [Entry] = []
        var parents: Set<pid_t> = [root]
        var grew = true
        while grew {
            grew = false
            for e in all where parents.contains(e.parent) && !parents.contains(e.pid) {
                found.append(e)
                parents.insert(e.pid)
                grew = true
            }
        }
        return found
    }

    /// SIGKILL for each of `entries` still alive as the same process.
    public static func kill(_ entries: [Entry]) {
        for e in entries where entry(e.pid)?.started == e.started {
            _ = Glibc.kill(e.pid, SIGKILL)
        }
    }
}
