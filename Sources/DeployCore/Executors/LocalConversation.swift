#if canImport(Glibc)
import Glibc
#endif

/// A `Conversation` with a process on this machine: its stdin and stdout are pipes
/// (stderr joins stdout), it runs in a process group of its own like every step.
final class LocalConversation: Conversation {
    private let pid: pid_t
    private var input: Int32
    private let output: Int32
    private var reader: LineReader
    private var ended: ExecutionResult?

    private init(pid: pid_t, input: Int32, output: Int32) {
        self.pid = pid
        self.input = input
        self.output = output
        reader = LineReader(fd: output)
    }

    deinit {
        _ = finish()
        close(output)
    }

    static func start(_ command: Command) throws(ConversationError) -> LocalConversation {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw ConversationError("pipe: \(LocalExecutor.errorText())") }
        guard pipe(&fromChild) == 0 else {
            toChild.forEach { close($0) }
            throw ConversationError("pipe: \(LocalExecutor.errorText())")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let spawned = Spawn.start(command, outputFD: fromChild[1], inputFD: toChild[0])
        close(toChild[0])
        close(fromChild[1])
        switch spawned {
        case .success(let pid): return LocalConversation(pid: pid, input: toChild[1], output: fromChild[0])
        case .failure(let failure):
            close(toChild[1])
            close(fromChild[0])
            throw ConversationError(failure.message)
        }
    }

    func send(_ line: String) throws(ConversationError) {
        guard input >= 0 else { throw ConversationError("its input is closed") }
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(input, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ConversationError("it stopped reading: \(LocalExecutor.errorText())") }
            offset += n
        }
    }

    func receive(timeout: Double) throws(ConversationError) -> String {
        switch reader.next(timeout: timeout) {
        case .line(let line): return line
        case .timedOut: throw ConversationError("no answer within \(ExecutionResult.format(timeout)) s", timedOut: true)
        case .ended(let tail): throw ConversationError("it ended (\(finish().description))" + (tail.isEmpty ? "" : ": \(tail)"))
        }
    }

    func finish() -> ExecutionResult {
        if let ended { return ended }
        if input >= 0 { close(input); input = -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let result = status & 0x7f == 0 ? ExecutionResult(.exited((status >> 8) & 0xff)) : ExecutionResult(.signaled(status & 0x7f))
        ended = result
        return result
    }
}
