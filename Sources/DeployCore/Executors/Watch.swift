#if canImport(Glibc)
import Glibc
#endif

/// Follows one spawned process: reads its output pipe line by line, enforces the
/// deadline (SIGTERM to the group, SIGKILL after the grace period) and reaps it.
///
/// The pipe can outlive the process (a step that starts a daemon which keeps
/// stdout open), so the end of the run is the process's exit, not EOF.
struct Watch {
    let pid: pid_t
    let fd: Int32
    let deadline: Double?
    let grace: Double
    private(set) var timedOut = false
    private(set) var interrupted = false
    private var termSentAt: Double?
    private var killed = false
    private var pending: [UInt8] = []

    init(pid: pid_t, fd: Int32, deadline: Double?, grace: Double) {
        self.pid = pid
        self.fd = fd
        self.deadline = deadline
        self.grace = grace
    }

    /// Returns the wait status.
    mutating func run(output: (String) -> Void, cancelled: () -> Bool) -> Int32 {
        var status: Int32 = 0
        var exited = false
        var eof = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if !exited {
                if eof && deadline == nil && termSentAt == nil {
                    // Nothing left to watch but the exit; Ctrl-C reaches the group through cancel().
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                    exited = true
                } else if waitpid(pid, &status, WNOHANG) == pid {
                    exited = true
                }
            }
            if exited {
                if termSentAt != nil && !killed { killpg(pid, SIGKILL); killed = true }  // what is left of the group
                if !eof { drain(&buffer, output: output) }
                break
            }
            var wait = 100.0
            let now = Clock.now()
            if let deadline, termSentAt == nil { wait = min(wait, max(0, deadline - now) * 1000) }
            if let sent = termSentAt, !killed { wait = min(wait, max(0, sent + grace - now) * 1000) }
            if eof { wait = min(wait, 10) }
            var p = pollfd(fd: eof ? -1 : fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(wait.rounded(.up)))
            if ready > 0 && !eof {
                let n = read(fd, &buffer, buffer.count)
                if n > 0 { emit(buffer[0..<n], output: output) } else if n == 0 || (errno != EINTR && errno != EAGAIN) { eof = true }
            }
            let later = Clock.now()
            if termSentAt == nil, cancelled() {
                interrupted = true
                termSentAt = later  // cancel() already sent SIGTERM
            }
            if termSentAt == nil, let deadline, later >= deadline {
                timedOut = true
                killpg(pid, SIGTERM)
                termSentAt = later
            } else if let sent = termSentAt, !killed, later >= sent + grace {
                killpg(pid, SIGKILL)
                killed = true
            }
        }
        if !pending.isEmpty { output(String(decoding: pending, as: UTF8.self)); pending = [] }
        return status
    }

    /// What is already in the pipe after the process exited; a daemon holding it open is not waited for.
    private mutating func drain(_ buffer: inout [UInt8], output: (String) -> Void) {
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 0) > 0 else { return }
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { return }
            emit(buffer[0..<n], output: output)
        }
    }

    private mutating func emit(_ bytes: ArraySlice<UInt8>, output: (String) -> Void) {
        pending += bytes
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var end = newline
            if end > start, pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            output(String(decoding: pending[start..<end], as: UTF8.self))
            start = newline + 1
        }
        pending.removeSubrange(..<start)
    }
}
