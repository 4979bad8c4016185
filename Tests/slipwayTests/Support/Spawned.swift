import Foundation

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
enum Spawned {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The runner's environment without the variables that would point git at another
    /// repository or configuration, plus `overrides`.
    static func environment(_ overrides: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        for (k, v) in overrides { env[k] = v }
        return env
    }

    /// Starts `argv` (looked up on PATH) in its own process group, stdin from /dev/null,
    /// stdout and stderr appended to `log`.
    static func start(_ argv: [String], directory: String? = nil, environment: [String: String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let directory { _ = addChdir(&actions, directory) }
        _ = addCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cargv in
            withCStrings(envp) { cenv in posix_spawnp(&pid, argv[0], &actions, &attributes, cargv, cenv) }
        }
        guard rc == 0 else { throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for `pid`: its exit status, or 128 + the signal that killed it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Whether `pid` (a child of this process) has ended; reaps it if so.
    static func hasEnded(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// Runs `argv` to its end; its exit status and its output (stdout and stderr together).
    /// Output goes through a file, so a chatty child can never block on a full pipe.
    static func run(_ argv: [String], directory: String? = nil, environment: [String: String]) throws -> (status: Int32, output: String) {
        let log = NSTemporaryDirectory() + "slipway-spawned-\(UUID().uuidString).log"
        defer { unlink(log) }
        let pid = try start(argv, directory: directory, environment: environment, log: log)
        let status = wait(pid)
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// glibc ≥ 2.29; a GNU extension that Swift's Glibc module does not import.
    @_silgen_name("posix_spawn_file_actions_addchdir_np")
    private static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

    /// glibc ≥ 2.34; a GNU extension like `addchdir_np`.
    @_silgen_name("posix_spawn_file_actions_addclosefrom_np")
    private static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
}

/// Processes as /proc shows them, to find and end what a daemon left behind.
enum ProcTable {
    struct Entry: Equatable {
        var pid: pid_t
        var parent: pid_t
        /// Clock ticks after boot: with the pid, names one process even if the pid is reused.
        var started: UInt64
    }

    static func entry(_ pid: pid_t) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
        // utime stime cutime cstime priority nice threads itrealvalue starttime …
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", let parent = pid_t(fields[1]), let started = UInt64(fields[19]) else { return nil }
        return Entry(pid: pid, parent: parent, started: started)
    }

    /// Every live process below `root`.
    static func descendants(of root: pid_t) -> [Entry] {
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
    static func kill(_ entries: [Entry]) {
        for e in entries where entry(e.pid)?.started == e.started {
            _ = Glibc.kill(e.pid, SIGKILL)
        }
    }
}
