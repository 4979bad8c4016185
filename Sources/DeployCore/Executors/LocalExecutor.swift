#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Runs commands on this machine with `posix_spawn`, each in a process group of
/// its own so that a timeout or Ctrl-C reaches everything the step started.
///
/// Not Foundation.Process: on Linux it detects a child's exit through an inherited
/// socket, which daemons close, and then every other wait hangs (TOOLCHAIN.md §3).
public final class LocalExecutor: Executor {
    /// How long a process group gets between SIGTERM and SIGKILL.
    public let killGrace: Double
    private let state = Mutex(State())

    private struct State {
        var group: pid_t = 0
        var cancelled = false
        var terminated = false
    }

    public init(killGrace: Double = 5) { self.killGrace = killGrace }

    public func cancel() {
        state.withLock { s in
            s.cancelled = true
            guard s.group > 0 else { return }
            killpg(s.group, s.terminated ? SIGKILL : SIGTERM)
            s.terminated = true
        }
    }

    public func run(_ command: Command, output: (String) -> Void) -> ExecutionResult {
        let start = Clock.now()
        if state.withLock({ $0.cancelled }) { return ExecutionResult(.interrupted) }
        var fds: [Int32] = [0, 0]
        // Close-on-exec, so that no other child inherits the pipe (pipe2 is not imported; steps spawn from one thread).
        guard pipe(&fds) == 0 else { return ExecutionResult(.notStarted("pipe: \(Self.errorText())")) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let spawned = Spawn.start(command, outputFD: fds[1])
        close(fds[1])
        guard case .success(let pid) = spawned else {
            close(fds[0])
            if case .failure(let why) = spawned { return ExecutionResult(.notStarted(why.message)) }
            return ExecutionResult(.notStarted("unknown"))
        }
        state.withLock { s in
            s.group = pid
            s.terminated = false
            if s.cancelled { killpg(pid, SIGTERM); s.terminated = true }
        }
        var watch = Watch(pid: pid, fd: fds[0], deadline: command.timeout.map { start + $0 }, grace: killGrace)
        let status = watch.run(output: output) { self.state.withLock { $0.cancelled } }
        close(fds[0])
        let cancelled = state.withLock { s in
            s.group = 0
            return s.cancelled
        }
        let ms = Int((Clock.now() - start) * 1000)
        if watch.timedOut, let seconds = command.timeout { return ExecutionResult(.timedOut(seconds: seconds), durationMilliseconds: ms) }
        if watch.interrupted || cancelled { return ExecutionResult(.interrupted, durationMilliseconds: ms) }
        if status & 0x7f == 0 { return ExecutionResult(.exited((status >> 8) & 0xff), durationMilliseconds: ms) }
        return ExecutionResult(.signaled(status & 0x7f), durationMilliseconds: ms)
    }

    public func open(_ command: Command) throws(ConversationError) -> any Conversation {
        try LocalConversation.start(command)
    }

    static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}

/// Monotonic seconds.
enum Clock {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
