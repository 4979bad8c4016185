/// Runs commands on a target. The deploy engine talks only to this protocol, so
/// a remote target differs from a local one by its executor alone
/// (`LocalExecutor` now, an SSH executor later, `RecordingExecutor` in tests).
public protocol Executor: AnyObject, Sendable {
    /// Runs `command` to its end, its time limit, or `cancel()`, passing each line of
    /// its output (stdout and stderr merged, in order) to `output` as it arrives.
    func run(_ command: Command, output: (String) -> Void) -> ExecutionResult

    /// Asks the running command (its whole process group) to stop: SIGTERM the
    /// first time, SIGKILL after that. Safe to call from a signal handler's queue.
    func cancel()

    /// Starts `command` and keeps it running beside the commands `run` runs next,
    /// talking to it in lines: slipway's agent on the target, which holds the deploy
    /// lock and writes the journal for as long as the conversation lasts.
    func open(_ command: Command) throws(ConversationError) -> any Conversation

    /// Ends what the executor holds open (an SSH connection), on the thread that used it.
    func disconnect()
}

extension Executor {
    public func disconnect() {}
}

/// A command that reads request lines on its stdin and answers each with one line.
/// When its stdin closes (the deploy ended, or the connection to it died), it ends.
public protocol Conversation: AnyObject {
    func send(_ line: String) throws(ConversationError)
    /// The next line it prints; throws when it ended instead or stayed silent past `timeout` seconds.
    func receive(timeout: Double) throws(ConversationError) -> String
    /// Closes its stdin and waits for it to end.
    func finish() -> ExecutionResult
}

public struct ConversationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// Only no line came in time: the conversation goes on.
    public var timedOut: Bool
    public init(_ description: String, timedOut: Bool = false) {
        self.description = description
        self.timedOut = timedOut
    }
}

extension Executor {
    /// Runs a short query (e.g. `git rev-parse HEAD`) and returns its output lines.
    public func capture(_ command: Command) -> (ExecutionResult, [String]) {
        var lines: [String] = []
        let result = run(command) { lines.append($0) }
        return (result, lines)
    }
}

/// How a command ended.
public struct ExecutionResult: Sendable, Equatable {
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Killed (SIGTERM, then SIGKILL) for running past its timeout.
        case timedOut(seconds: Double)
        /// Stopped by `cancel()` (Ctrl-C).
        case interrupted
        /// Never ran: no such executable, not executable, no such folder.
        case notStarted(String)
        /// The connection to the host died while it ran (the SSH layer's words: host, command).
        case lost(String)
    }

    public var termination: Termination
    public var durationMilliseconds: Int

    public init(_ termination: Termination, durationMilliseconds: Int = 0) {
        self.termination = termination
        self.durationMilliseconds = durationMilliseconds
    }

    public var succeeded: Bool { termination == .exited(0) }

    /// The exit status to journal: the code, 128+signal, or nil when it never ran.
    public var exitCode: Int32? {
        switch termination {
        case .exited(let c): c
        case .signaled(let s): 128 + s
        case .timedOut: 128 + 9
        case .interrupted: 130
        case .notStarted, .lost: nil
        }
    }

    public var description: String {
        switch termination {
        case .exited(let c): "exit status \(c)"
        case .signaled(let s): "killed by signal \(s)"
        case .timedOut(let s): "timed out after \(Self.format(s)) s (its process group was killed)"
        case .interrupted: "interrupted"
        case .notStarted(let why): "could not start: \(why)"
        case .lost(let why): why
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
