import MigrationCore
import Dispatch
import Synchronization

/// The agent's stdin, read on a thread of its own so that a `cancel` (or the deploy's
/// end: EOF) reaches a step while it runs. Other lines queue for the agent's loop.
final class AgentInbox: @unchecked Sendable {
    private struct State {
        var lines: [String] = []
        var ended = false
        var running: LocalExecutor?
    }
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    init(fd: Int32) {
        _ = Worker { [self] in
            var reader = LineReader(fd: fd)
            while let line = reader.next() {
                if AgentCoding.decode(AgentRequest.self, line)?.op == .cancel {
                    state.withLock { $0.running }?.cancel()
                    continue
                }
                state.withLock { $0.lines.append(line) }
                available.signal()
            }
            // The deploy is gone: stop what runs for it.
            state.withLock { s in
                s.ended = true
                return s.running
            }?.cancel()
            available.signal()
        }
    }

    /// The next request line; nil once stdin ended and every line was taken.
    func next() -> String? {
        while true {
            let (line, ended): (String?, Bool) = state.withLock { s in
                s.lines.isEmpty ? (nil, s.ended) : (s.lines.removeFirst(), false)
            }
            if let line { return line }
            if ended { return nil }
            available.wait()
        }
    }

    /// Runs `command` where a `cancel` line or the end of stdin can stop it.
    func run(_ command: Command, output: (String) -> Void) -> ExecutionResult {
        let executor = LocalExecutor()
        let ended = state.withLock { s in
            s.running = executor
            return s.ended
        }
        if ended { executor.cancel() }
        defer { state.withLock { $0.running = nil } }
        return executor.run(command, output: output)
    }
}
