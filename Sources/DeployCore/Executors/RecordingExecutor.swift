import Synchronization

/// Records the commands it is given and answers from a script instead of running
/// anything: for tests of the engine's decisions (retries, stops, journal).
public final class RecordingExecutor: Executor {
    public typealias Responder = @Sendable (Command) -> (ExecutionResult, [String])

    private let state: Mutex<[Command]>
    private let responder: Responder

    /// `responder` decides each command's result and output; by default every command succeeds silently.
    public init(responder: @escaping Responder = { _ in (ExecutionResult(.exited(0)), []) }) {
        state = Mutex([])
        self.responder = responder
    }

    public var commands: [Command] { state.withLock { $0 } }

    public func run(_ command: Command, output: (String) -> Void) -> ExecutionResult {
        state.withLock { $0.append(command) }
        let (result, lines) = responder(command)
        for line in lines { output(line) }
        return result
    }

    public func cancel() {}

    public func open(_ command: Command) throws(ConversationError) -> any Conversation {
        state.withLock { $0.append(command) }
        throw ConversationError("the recording executor starts no process")
    }
}
