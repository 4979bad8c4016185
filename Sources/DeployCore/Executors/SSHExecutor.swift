import SSH

/// Runs commands on one remote host: one SSH connection for the whole deploy, a
/// channel per command (`SSHSession`). The command goes as one shell line rendered
/// from its words, every word quoted (`Command.shellLine`), its `env:` values in it as
/// assignments: they reach the command, and no file slipway keeps.
public final class SSHExecutor: Executor, @unchecked Sendable {
    public let session: SSHSession
    /// slipway on the host, once it is there (`RemoteHost.install`): it then runs every
    /// command as `slipway agent exec` (`ExecAgent`), which enforces time limits there and
    /// stops the command when the channel closes. Before that, commands run bare.
    public var supervisor: Command.Word?

    public init(session: SSHSession) { self.session = session }

    /// The exact shell line a command becomes on the host.
    public static func line(_ command: Command, supervisor: Command.Word?, revealing: Bool) -> String {
        guard let supervisor else { return command.shellLine(revealing: revealing) }
        var wrapped = command
        var words: [Command.Word] = [supervisor, .text("agent"), .text("exec")]
        if let t = command.timeout { words += [.text("--timeout"), .text(ExecutionResult.format(t))] }
        wrapped.words = words + [.text("--")] + command.words
        return wrapped.shellLine(revealing: revealing)
    }

    public func run(_ command: Command, output: (String) -> Void) -> ExecutionResult {
        let start = Clock.now()
        let line = Self.line(command, supervisor: supervisor, revealing: true)
        // With the supervisor, the host enforces the limit; the channel's own limit is a net behind it.
        let limit = command.timeout.map { supervisor == nil ? $0 : $0 + 30 }
        var ending: ExecutionResult.Termination?
        let exit: SSHExit
        do {
            exit = try session.run(line, timeout: limit, holdStdin: supervisor != nil) { out in
                if supervisor != nil, let end = ExecAgent.result(out.text, timeout: command.timeout) {
                    ending = end
                } else {
                    output(out.text)
                }
            }
        } catch {
            let ms = Int((Clock.now() - start) * 1000)
            if case .cancelled = error.reason { return ExecutionResult(.interrupted, durationMilliseconds: ms) }
            return ExecutionResult(.lost(error.description), durationMilliseconds: ms)
        }
        let ms = Int((Clock.now() - start) * 1000)
        if let ending { return ExecutionResult(ending, durationMilliseconds: ms) }
        return switch exit {
        case .exited(let code): ExecutionResult(.exited(code), durationMilliseconds: ms)
        case .signaled(let name): ExecutionResult(.signaled(Self.number(of: name)), durationMilliseconds: ms)
        case .timedOut: ExecutionResult(.timedOut(seconds: command.timeout ?? 0), durationMilliseconds: ms)
        case .cancelled: ExecutionResult(.interrupted, durationMilliseconds: ms)
        }
    }

    public func cancel() { session.cancel() }

    public func disconnect() { session.close() }

    public func open(_ command: Command) throws(ConversationError) -> any Conversation {
        do {
            return SSHConversation(channel: try session.open(command.shellLine(revealing: true)))
        } catch {
            throw ConversationError(error.description)
        }
    }

    /// POSIX numbers of the signal names SSH sends ("TERM", "KILL").
    static func number(of name: String) -> Int32 {
        ["HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "ABRT": 6, "FPE": 8, "KILL": 9, "SEGV": 11, "PIPE": 13, "ALRM": 14,
         "TERM": 15, "USR1": 10, "USR2": 12][name] ?? 0
    }
}

/// A `Conversation` over an SSH channel kept open beside the step channels.
final class SSHConversation: Conversation {
    private let channel: SSHChannel
    private var ended: ExecutionResult?

    init(channel: SSHChannel) { self.channel = channel }

    func send(_ line: String) throws(ConversationError) {
        do { try channel.write(Array((line + "\n").utf8)) } catch { throw ConversationError(error.description) }
    }

    func receive(timeout: Double) throws(ConversationError) -> String {
        let line: String?
        do { line = try channel.readLine(timeout: timeout) } catch {
            if case .readTimedOut = error.reason { throw ConversationError(error.description, timedOut: true) }
            throw ConversationError(error.description)
        }
        guard let line else { throw ConversationError("it ended (\(finish().description))") }
        return line
    }

    func finish() -> ExecutionResult {
        if let ended { return ended }
        try? channel.sendEOF()
        let result: ExecutionResult
        do {
            result = switch try channel.close() {
            case .exited(let code): ExecutionResult(.exited(code))
            case .signaled(let name): ExecutionResult(.signaled(SSHExecutor.number(of: name)))
            case .timedOut, .cancelled: ExecutionResult(.interrupted)
            }
        } catch {
            result = ExecutionResult(.lost(error.description))
        }
        ended = result
        return result
    }
}
