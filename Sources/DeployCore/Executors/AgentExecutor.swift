import Synchronization

/// Runs a deploy's steps through the target's agent (`LockAgent`), which already holds
/// the lock: each step is a process the agent starts there (`LocalExecutor` on that
/// machine: process group, time limit), its output streamed back over the agent's
/// channel. On a remote host that is one SSH session for the whole deploy instead of
/// one per step (sshd's fork and the user's shell each time), and the step's `env:`
/// values travel on the channel, not in a command line. Ctrl-C reaches the step as a
/// `cancel` request; a dead connection closes the agent's stdin and it stops the step.
public final class AgentExecutor: Executor, @unchecked Sendable {
    private let lock: TargetLock
    private let cancels = Mutex(0)

    public init(lock: TargetLock) { self.lock = lock }

    public func run(_ command: Command, output: (String) -> Void) -> ExecutionResult {
        if cancels.withLock({ $0 }) > 0 { return ExecutionResult(.interrupted) }
        return lock.run(command, cancels: { cancels.withLock { $0 } }, output: output)
    }

    public func cancel() { cancels.withLock { $0 += 1 } }

    public func open(_ command: Command) throws(ConversationError) -> any Conversation {
        throw ConversationError("the agent runs steps; it opens no conversation of its own")
    }
}
