import TestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `supervisord` (Debian package `supervisor`) owned by one test: its own
/// config, unix socket, pidfile and logs in a temp folder, started in the foreground
/// (`-n`) with posix_spawn and stopped by PID (SIGTERM, waitpid, then SIGKILL for
/// anything it left behind).
final class Supervisord {
    struct HarnessError: Error, CustomStringConvertible {
        var description: String
    }

    /// CI must run this test: there a supervisord that cannot start is a failure, not a skip.
    static var required: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }

    static var installed: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ["supervisord", "supervisorctl"].allSatisfy { tool in
            path.split(separator: ":").contains { access("\($0)/\(tool)", X_OK) == 0 }
        }
    }

    let folder: String
    let config: String
    let pid: pid_t
    private var stopped = false

    /// Starts supervisord with one program per `programs` entry (name → command),
    /// none started automatically, and returns once its socket answers.
    init(programs: [(String, String)]) throws {
        // A unix socket path has to fit in sun_path (108 bytes): keep the folder short.
        folder = NSTemporaryDirectory() + "sv-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        config = folder + "/supervisord.conf"
        var text = """
            [unix_http_server]
            file=\(folder)/supervisor.sock
            chmod=0700

            [supervisord]
            logfile=\(folder)/supervisord.log
            pidfile=\(folder)/supervisord.pid
            childlogdir=\(folder)
            nodaemon=true

            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

            [supervisorctl]
            serverurl=unix://\(folder)/supervisor.sock

            """
        for (name, command) in programs {
            text += """

                [program:\(name)]
                command=\(command)
                autostart=false
                autorestart=false
                startsecs=1
                stdout_logfile=\(folder)/\(name).log
                redirect_stderr=true

                """
        }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        do {
            pid = try Spawned.start(["supervisord", "-n", "-c", config], environment: Spawned.environment([:]), log: folder + "/stdout.log")
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw HarnessError(description: "cannot start supervisord (Debian package supervisor; scripts/setup installs it): \(error)")
        }
        do {
            try waitUntilReady()
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// Readiness probe: `supervisorctl pid` answers with this very supervisord's pid once its
    /// socket accepts requests. Each probe is a whole supervisorctl run (no sleeping between);
    /// the loop is bounded, and ends early if supervisord exits.
    private func waitUntilReady() throws {
        var last = ""
        for _ in 0..<300 {
            if Spawned.hasEnded(pid) {
                stopped = true
                throw HarnessError(description: "supervisord exited before it was ready: \(log)")
            }
            let probe = try ctl(["pid"])
            if probe.status == 0, probe.output.trimmingCharacters(in: .whitespacesAndNewlines) == String(pid) { return }
            last = probe.output
        }
        throw HarnessError(description: "supervisord did not answer on its socket (last probe: \(last)); log: \(log)")
    }

    /// `supervisorctl -c CONFIG args…`.
    func ctl(_ args: [String]) throws -> (status: Int32, output: String) {
        try Spawned.run(["supervisorctl", "-c", config] + args, environment: Spawned.environment([:]))
    }

    /// The program's state as `supervisorctl status` shows it (RUNNING, STOPPED, …) and its pid when running.
    func status(_ program: String) throws -> (state: String, pid: Int32?) {
        let output = try ctl(["status", program]).output
        let words = output.split(whereSeparator: \.isWhitespace)
        guard words.count >= 2, words[0] == program else { return (output, nil) }
        let pid = words.count >= 4 && words[2] == "pid" ? Int32(words[3].dropLast()) : nil  // "pid 123,"
        return (String(words[1]), pid)
    }

    /// Pipes and sockets that supervisord shares with this test runner (by inode): none
    /// when it inherited no descriptor of ours.
    func sharedDescriptors() -> Set<String> {
        func links(_ pid: String) -> Set<String> {
            let dir = "/proc/\(pid)/fd"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return Set(names.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + $0) }
                .filter { $0.hasPrefix("pipe:") || $0.hasPrefix("socket:") })
        }
        return links(String(pid)).intersection(links("self"))
    }

    var log: String {
        ((try? String(contentsOfFile: folder + "/supervisord.log", encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: folder + "/stdout.log", encoding: .utf8)) ?? "")
    }

    /// SIGTERM (supervisord stops its programs, then exits), waitpid, then SIGKILL for any
    /// process it started that is still there. Its programs run in process groups of their
    /// own (supervisord calls setpgrp for each), so they are found through /proc, before
    /// supervisord goes away and they would be re-parented.
    func stop() {
        guard !stopped else { return }
        stopped = true
        let children = ProcTable.descendants(of: pid)
        kill(pid, SIGTERM)
        _ = Spawned.wait(pid)
        ProcTable.kill(children)
        try? FileManager.default.removeItem(atPath: folder)
    }
}
